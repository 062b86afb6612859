// What a built Moddable bundle imports: the bare specifiers of its static
// import declarations (esbuild's ES module output, minified or not).

export function importedModules(bundle: string): string[] {
  const found = new Set<string>();
  for (const m of bundle.matchAll(/(?:^|[;\s}])import\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}\s*|\*\s*as\s+[\w$]+\s*)?(?:from\s*)?["']([^"']+)["']/g)) found.add(m[1]!);
  return [...found].sort();
}
