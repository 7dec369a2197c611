// Small, reversible edits of TypeScript sources in the generator's tree, located with the
// compiler's AST (never by line numbers or markers): add or remove an object property, a
// top-level declaration, a named import, a namespace re-export.
import { applyChangesToString, ChangeType, type StringChange, type Tree } from '@nx/devkit';
import ts from 'typescript';

function parse(tree: Tree, path: string): ts.SourceFile {
  const text = tree.read(path, 'utf8');
  if (text === null) throw new Error(`${path} does not exist`);
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
}

function edit(tree: Tree, path: string, changes: StringChange[]): void {
  if (changes.length === 0) return;
  const text = tree.read(path, 'utf8') ?? '';
  tree.write(path, applyChangesToString(text, changes));
}

/** The object literal initialising `const <variable> = {...}` (also `{...} as const`). */
function objectLiteral(source: ts.SourceFile, variable: string): ts.ObjectLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== variable) continue;
      let init = declaration.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) {
        init = init.expression;
      }
      if (init && ts.isObjectLiteralExpression(init)) return init;
    }
  }
  throw new Error(`${source.fileName}: no object literal \`${variable}\``);
}

/** A property's key as written: `user`, `'gift-cards'` → gift-cards, `[ROUTING_KEYS.x]`. */
function keyOf(property: ts.ObjectLiteralElementLike, source: ts.SourceFile): string {
  const name = property.name;
  if (!name) return '';
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return `[${name.expression.getText(source)}]`;
  return name.getText(source);
}

/** The keys of `const <variable> = {...}`, as written (see keyOf). */
export function propertyKeys(tree: Tree, path: string, variable: string): string[] {
  const source = parse(tree, path);
  return objectLiteral(source, variable).properties.map((p) => keyOf(p, source));
}

/** The string values of `const <variable> = { key: 'value', ... }`. */
export function stringValues(tree: Tree, path: string, variable: string): Record<string, string> {
  const source = parse(tree, path);
  const values: Record<string, string> = {};
  for (const property of objectLiteral(source, variable).properties) {
    if (ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer))
      values[keyOf(property, source)] = property.initializer.text;
  }
  return values;
}

/** Adds `text` (one `key: value` property, no trailing comma) as the last property. */
export function addProperty(tree: Tree, path: string, variable: string, text: string): void {
  const source = parse(tree, path);
  const closing = objectLiteral(source, variable).getEnd() - 1;
  const lineStart = source.text.lastIndexOf('\n', closing) + 1;
  edit(tree, path, [{ type: ChangeType.Insert, index: lineStart, text: `  ${text},\n` }]);
}

/** Removes the property with key `key` (as written, see keyOf) with its comments and comma. */
export function removeProperty(tree: Tree, path: string, variable: string, key: string): void {
  const source = parse(tree, path);
  const property = objectLiteral(source, variable).properties.find((p) => keyOf(p, source) === key);
  if (!property) return;
  let end = property.getEnd();
  if (source.text[end] === ',') end += 1;
  const start = property.getFullStart();
  edit(tree, path, [{ type: ChangeType.Delete, start, length: end - start }]);
}

/** Names declared at the top level (variables, functions, classes, types, interfaces). */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    );
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement)) &&
    statement.name
  )
    return [statement.name.text];
  return [];
}

export function declares(tree: Tree, path: string, name: string): boolean {
  return parse(tree, path).statements.some((s) => declaredNames(s).includes(name));
}

/** Appends top-level statements (separated from what is there by a blank line). */
export function appendStatements(tree: Tree, path: string, text: string): void {
  const current = tree.read(path, 'utf8') ?? '';
  tree.write(path, `${current.trimEnd()}\n\n${text.trim()}\n`);
}

/** Removes the top-level statements declaring any of `names`, with their leading comments. */
export function removeStatements(tree: Tree, path: string, names: readonly string[]): void {
  const source = parse(tree, path);
  edit(
    tree,
    path,
    source.statements
      .filter((s) => declaredNames(s).some((n) => names.includes(n)))
      .map((s) => ({
        type: ChangeType.Delete,
        start: s.getFullStart(),
        length: s.getEnd() - s.getFullStart(),
      })),
  );
}

function importFrom(source: ts.SourceFile, module: string): ts.ImportDeclaration | undefined {
  return source.statements.find(
    (s): s is ts.ImportDeclaration =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === module,
  );
}

/** `import { [type ]name } from 'module'`: into the existing import, or as a new last import. */
export function addNamedImport(
  tree: Tree,
  path: string,
  module: string,
  name: string,
  options: { typeOnly?: boolean } = {},
): void {
  const source = parse(tree, path);
  const specifier = `${options.typeOnly ? 'type ' : ''}${name}`;
  const existing = importFrom(source, module);
  const named = existing?.importClause?.namedBindings;
  if (named && ts.isNamedImports(named)) {
    if (named.elements.some((e) => e.name.text === name)) return;
    const last = named.elements[named.elements.length - 1];
    const index = last ? last.getEnd() : named.getStart(source) + 1;
    edit(tree, path, [{ type: ChangeType.Insert, index, text: `, ${specifier}` }]);
    return;
  }
  const imports = source.statements.filter(ts.isImportDeclaration);
  const index = imports.length > 0 ? (imports[imports.length - 1]?.getEnd() ?? 0) : 0;
  const text = `import { ${specifier} } from '${module}';`;
  edit(tree, path, [
    { type: ChangeType.Insert, index, text: index === 0 ? `${text}\n` : `\n${text}` },
  ]);
}

/** Removes `name` from `import {...} from 'module'`, and the import once it is empty. */
export function removeNamedImport(tree: Tree, path: string, module: string, name: string): void {
  const source = parse(tree, path);
  const existing = importFrom(source, module);
  const named = existing?.importClause?.namedBindings;
  if (!existing || !named || !ts.isNamedImports(named)) return;
  const element = named.elements.find((e) => e.name.text === name);
  if (!element) return;
  if (named.elements.length === 1) {
    const start = existing.getFullStart();
    edit(tree, path, [{ type: ChangeType.Delete, start, length: existing.getEnd() - start }]);
    return;
  }
  let end = element.getEnd();
  if (source.text[end] === ',') end += 1;
  const start = element.getFullStart();
  edit(tree, path, [{ type: ChangeType.Delete, start, length: end - start }]);
}

function namespaceExport(source: ts.SourceFile, alias: string): ts.ExportDeclaration | undefined {
  return source.statements.find(
    (s): s is ts.ExportDeclaration =>
      ts.isExportDeclaration(s) &&
      s.exportClause !== undefined &&
      ts.isNamespaceExport(s.exportClause) &&
      s.exportClause.name.text === alias,
  );
}

/** `export * as <alias> from '<module>';` after the last such line. */
export function addNamespaceExport(tree: Tree, path: string, alias: string, module: string): void {
  const source = parse(tree, path);
  if (namespaceExport(source, alias)) return;
  const namespaces = source.statements.filter(
    (s) => ts.isExportDeclaration(s) && s.exportClause && ts.isNamespaceExport(s.exportClause),
  );
  const last = namespaces[namespaces.length - 1];
  const index = last ? last.getEnd() : 0;
  const text = `export * as ${alias} from '${module}';`;
  edit(tree, path, [{ type: ChangeType.Insert, index, text: last ? `\n${text}` : `${text}\n` }]);
}

export function removeNamespaceExport(tree: Tree, path: string, alias: string): void {
  const source = parse(tree, path);
  const found = namespaceExport(source, alias);
  if (!found) return;
  const start = found.getFullStart();
  edit(tree, path, [{ type: ChangeType.Delete, start, length: found.getEnd() - start }]);
}
