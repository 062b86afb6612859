# What python-pskc (Debian's python3-pskc, the reference reader) finds in each
# PSKC file given on argv, tried with no key and with each key/password of
# KEYS.tsv (lines "file<TAB>kind<TAB>value"; read from stdin). Prints one JSON
# document: {file: [{"kind","value","ok","error","keys":[...]}]}. Secrets are
# printed as hex because the test compares them; this runs on test data only.
import binascii, json, sys, warnings
warnings.simplefilter('ignore')
import pskc

tries = {}
for line in sys.stdin.read().splitlines()[1:]:
    parts = line.split('\t')
    if len(parts) >= 3:
        tries.setdefault(parts[0], []).append((parts[1], parts[2].split('  (')[0]))

def read(path, kind, value):
    p = pskc.PSKC(path)
    if kind == 'key':
        p.encryption.key = binascii.unhexlify(value)
    elif kind == 'password':
        p.encryption.derive_key(value)
    keys = []
    for k in p.keys:
        d = {'id': k.id, 'algorithm': k.algorithm, 'suite': k.algorithm_suite,
             'issuer': k.issuer, 'friendly_name': k.friendly_name, 'key_userid': k.key_userid,
             'device_userid': k.device_userid, 'serial': k.serial, 'manufacturer': k.manufacturer,
             'response_encoding': k.response_encoding, 'response_length': k.response_length,
             'pin_usage': k.policy.pin_usage, 'pin_key_id': k.policy.pin_key_id,
             'unknown_policy': k.policy.unknown_policy_elements,
             'key_usage': list(k.policy.key_usage or []),
             'start_date': str(k.policy.start_date) if k.policy.start_date else None,
             'expiry_date': str(k.policy.expiry_date) if k.policy.expiry_date else None,
             'may_use': k.policy.may_use(),
             'number_of_transactions': k.policy.number_of_transactions}
        for name in ('secret', 'counter', 'time_offset', 'time_interval', 'time_drift'):
            try:
                v = getattr(k, name)
                d[name] = binascii.hexlify(v).decode() if isinstance(v, bytes) else v
            except Exception as e:
                d[name + '_error'] = '%s: %s' % (type(e).__name__, e)
        keys.append(d)
    return keys

out = {}
for path in sys.argv[1:]:
    rel = path[path.rindex('tests/'):]
    results = []
    for kind, value in [(None, None)] + tries.get(rel, []):
        r = {'kind': kind, 'value': value}
        try:
            r['keys'] = read(path, kind, value)
            r['ok'] = True
        except Exception as e:
            r['ok'] = False
            r['error'] = '%s: %s' % (type(e).__name__, e)
        results.append(r)
    out[rel] = results
json.dump(out, sys.stdout, indent=1, default=str)
