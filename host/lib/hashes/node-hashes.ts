// The node:crypto hashes live with the Node ports (firmware/ports/node), so the
// simulator does not import from host/; host code and tests keep this path.
export { nodeHashes } from '../../../firmware/ports/node/node-hashes.ts';
