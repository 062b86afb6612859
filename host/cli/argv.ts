// Which command argv names, before anything is loaded: the first word that is
// not an option (the program itself has only -V and -h), or the one after `help`.
export function commandNamed(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
