/**
 * The API report of a package: every symbol each of its entry points
 * exports (the `exports` map of its package.json), with its kind and its
 * declared signature, as Markdown. It is checked in beside the package
 * (`api-report.md`) and compared by `npm test` (check-api.ts), so changing
 * a public export is a visible diff that someone decided to make.
 */
import { Node, type ExportedDeclarations, type Project, type SourceFile } from 'ts-morph';

/** One entry point: its import specifier and source file. */
export interface EntryPoint {
  readonly specifier: string;
  readonly source: SourceFile;
}

/** Whitespace folded to single spaces, and the checker's `import("./x.js").` qualifiers dropped. */
function flat(text: string): string {
  return text.replace(/import\("[^"]+"\)\./g, '').replace(/\s+/g, ' ').trim();
}

function functionSignature(node: Node, name: string): string {
  if (!Node.isFunctionDeclaration(node) && !Node.isMethodDeclaration(node) && !Node.isMethodSignature(node)) return name;
  const params = node.getParameters().map((param) => flat(param.getText())).join(', ');
  const returns = node.getReturnTypeNode()?.getText() ?? node.getReturnType().getText(node);
  const typeParams = node.getTypeParameters().map((param) => flat(param.getText()));
  return `${name}${typeParams.length ? `<${typeParams.join(', ')}>` : ''}(${params}): ${flat(returns)}`;
}

/** The type of a declaration as written, else as the checker infers it. */
function typeOf(node: Node & { getTypeNode(): Node | undefined; getType(): { getText(node: Node): string } }): string {
  return flat(node.getTypeNode()?.getText() ?? node.getType().getText(node));
}

/** A class's public members (and public parameter properties), one signature each. */
function classMembers(node: Node): string[] {
  if (!Node.isClassDeclaration(node)) return [];
  const members: string[] = [];
  for (const ctor of node.getConstructors()) {
    const properties = ctor.getParameters().filter((param) => param.isParameterProperty() && (param.getScope() ?? 'public') === 'public');
    members.push(...properties.map((param) => `${param.isReadonly() ? 'readonly ' : ''}${param.getName()}: ${typeOf(param)}`));
    if ((ctor.getScope() ?? 'public') === 'public') members.push(`constructor(${ctor.getParameters().map((param) => flat(param.getText().replace(/^(public|private|protected|readonly)\s+/g, ''))).join(', ')})`);
  }
  for (const member of node.getMembers()) {
    if (!Node.isPropertyDeclaration(member) && !Node.isMethodDeclaration(member) && !Node.isGetAccessorDeclaration(member)) continue;
    if ((member.getScope() ?? 'public') !== 'public' || member.getName().startsWith('#')) continue;
    const prefix = `${member.isStatic() ? 'static ' : ''}${Node.isPropertyDeclaration(member) && member.isReadonly() ? 'readonly ' : ''}`;
    if (Node.isMethodDeclaration(member)) members.push(prefix + functionSignature(member, member.getName()));
    else if (Node.isGetAccessorDeclaration(member)) members.push(`${prefix}get ${member.getName()}(): ${flat(member.getReturnTypeNode()?.getText() ?? member.getReturnType().getText(member))}`);
    else members.push(`${prefix}${member.getName()}${member.hasQuestionToken() ? '?' : ''}: ${typeOf(member)}`);
  }
  return members;
}

/** `<T extends X>` of a generic declaration, or ''. */
function typeParameters(node: Node): string {
  if (!Node.isTypeParametered(node)) return '';
  const params = node.getTypeParameters().map((param) => flat(param.getText()));
  return params.length > 0 ? `<${params.join(', ')}>` : '';
}

/** One exported declaration as report lines. */
function describe(name: string, node: ExportedDeclarations): string[] {
  if (Node.isFunctionDeclaration(node)) {
    const overloads = node.getOverloads();
    return (overloads.length > 0 ? overloads : [node]).map((each) => `function ${functionSignature(each, name)}`);
  }
  if (Node.isClassDeclaration(node)) {
    const heritage = node.getHeritageClauses().map((clause) => flat(clause.getText()));
    return [`class ${name}${typeParameters(node)}${heritage.length ? ` ${heritage.join(' ')}` : ''}`, ...classMembers(node).map((member) => `  ${member}`)];
  }
  if (Node.isInterfaceDeclaration(node)) {
    const heritage = node.getHeritageClauses().map((clause) => flat(clause.getText()));
    return [`interface ${name}${typeParameters(node)}${heritage.length ? ` ${heritage.join(' ')}` : ''}`, ...node.getMembers().map((member) => `  ${flat(member.getText())}`)];
  }
  if (Node.isTypeAliasDeclaration(node)) return [`type ${name}${typeParameters(node)} = ${flat(node.getTypeNode()?.getText() ?? '')}`];
  if (Node.isVariableDeclaration(node)) return [`const ${name}: ${typeOf(node)}`];
  if (Node.isEnumDeclaration(node)) return [`enum ${name} { ${node.getMembers().map((member) => member.getName()).join(', ')} }`];
  if (Node.isSourceFile(node)) return [`namespace ${name}`, ...exportsOf(node).map((line) => `  ${line}`)];
  return [`${node.getKindName()} ${name}`];
}

/** Every export of a source file, sorted by name, as report lines. */
function exportsOf(source: SourceFile): string[] {
  const lines: string[] = [];
  const entries = [...source.getExportedDeclarations()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, declarations] of entries) for (const declaration of declarations) lines.push(...describe(name, declaration));
  return lines;
}

/** The report text of a package. */
export function apiReport(packageName: string, entries: readonly EntryPoint[]): string {
  const lines = [
    `# API report: ${packageName}`,
    '',
    'Generated from the entry points of package.json by tools/src/api-report.ts. `npm test` fails when the',
    'exports change and this file was not regenerated: run `npm run api-report`, review the diff and commit it.',
  ];
  for (const entry of entries) lines.push('', `## \`${entry.specifier}\``, '', '```ts', ...exportsOf(entry.source), '```');
  return `${lines.join('\n')}\n`;
}

/** The source entry points of a package from its package.json `exports` (each `./dist/x.js` is `src/x.ts`). */
export function entryPoints(project: Project, packageDir: string, manifest: { name: string; exports?: Record<string, unknown> }): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = typeof target === 'object' && target !== null ? (target as { types?: string }).types : undefined;
    if (!types) continue;
    const source = `${packageDir}/${types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}`;
    entries.push({ specifier: subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`, source: project.addSourceFileAtPath(source) });
  }
  return entries;
}
