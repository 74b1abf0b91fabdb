/**
 * The documentation check: every symbol a package exports from its
 * `src/index.ts` must carry a doc comment at its declaration. Reports one
 * `file:line: message` per undocumented symbol.
 */
import path from 'node:path';
import { Node, type SourceFile } from 'ts-morph';

/** One undocumented export. */
export interface DocProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Finds exports of `entry` whose declarations have no doc comment. Paths are relative to `root`. */
export function findUndocumentedExports(entry: SourceFile, root: string): DocProblem[] {
  const problems: DocProblem[] = [];
  const seen = new Set<Node>();
  for (const [name, declarations] of entry.getExportedDeclarations()) {
    for (const declaration of declarations) {
      if (seen.has(declaration)) continue;
      seen.add(declaration);
      if (hasDocComment(declaration)) continue;
      const file = path.relative(root, declaration.getSourceFile().getFilePath());
      problems.push({
        file,
        line: declaration.getStartLineNumber(),
        message: `exported ${describeKind(declaration)} '${name}' has no doc comment`,
      });
    }
  }
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

function hasDocComment(declaration: Node): boolean {
  if (Node.isVariableDeclaration(declaration)) {
    const statement = declaration.getVariableStatement();
    return statement !== undefined && statement.getJsDocs().length > 0;
  }
  if (Node.isFunctionDeclaration(declaration)) {
    const overloads = declaration.getOverloads();
    const candidates = overloads.length > 0 ? [overloads[0], declaration] : [declaration];
    return candidates.some((candidate) => candidate.getJsDocs().length > 0);
  }
  if (Node.isJSDocable(declaration)) return declaration.getJsDocs().length > 0;
  return true;
}

function describeKind(declaration: Node): string {
  if (Node.isFunctionDeclaration(declaration)) return 'function';
  if (Node.isClassDeclaration(declaration)) return 'class';
  if (Node.isInterfaceDeclaration(declaration)) return 'interface';
  if (Node.isTypeAliasDeclaration(declaration)) return 'type';
  if (Node.isEnumDeclaration(declaration)) return 'enum';
  if (Node.isVariableDeclaration(declaration)) return 'constant';
  return declaration.getKindName();
}
