import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import * as ts from 'typescript';

/*
 * The layout rules (README, "Layout"), checked on the real tree: no import cycle (type-only imports count), no
 * source file over 350 lines, the emulators import nothing from src/ (they model the vendors, not our code), the
 * domain does no I/O, the folder layers hold, and the policy's defaults are applied in one place.
 */
const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['src', 'lambdas', 'infra', 'emulator', 'bin', 'scripts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));

function importsOf(file: string): { local: string[]; packages: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const local: string[] = [];
  const packages: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.ImportKeyword &&
            node.arguments[0] &&
            ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : undefined;
    if (specifier?.startsWith('.')) {
      const base = resolve(dirname(file), specifier);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
      if (target) local.push(target);
    } else if (specifier) packages.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { local, packages };
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));
const rel = (f: string): string => relative(ROOT, f);

describe('Architecture: the layout', () => {
  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const dep of GRAPH.get(file)?.local ?? []) {
        if (state.get(dep) === 'open')
          cycles.push([...stack.slice(stack.indexOf(dep)), dep].map(rel).join(' → '));
        else if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps every source file at 350 lines or fewer', () => {
    const long = FILES.map((f) => ({
      file: rel(f),
      lines: readFileSync(f, 'utf8').split('\n').length - 1,
    })).filter((f) => f.lines > 350);
    expect(long).toEqual([]);
  });

  it('lets the emulators import nothing from src/', () => {
    const leaks = FILES.filter((f) => rel(f).startsWith('emulator/')).flatMap((f) =>
      (GRAPH.get(f)?.local ?? [])
        .filter((d) => rel(d).startsWith('src/'))
        .map((d) => `${rel(f)} → ${rel(d)}`),
    );
    expect(leaks).toEqual([]);
  });

  it('keeps the domain pure: no Node I/O module, SDK or adapter import', () => {
    const allowedPackages = new Set(['zod', 'node:crypto']);
    const impure = FILES.filter((f) => rel(f).startsWith('src/domain/')).flatMap((f) => {
      const { local, packages } = GRAPH.get(f) ?? { local: [], packages: [] };
      return [
        ...packages.filter((p) => !allowedPackages.has(p)),
        ...local.filter((d) => !rel(d).startsWith('src/domain/')).map(rel),
      ].map((what) => `${rel(f)} → ${what}`);
    });
    expect(impure).toEqual([]);
  });
});

/** Shared adapter folders, by technology. */
const ADAPTERS = ['okta', 'twilio', 'dynamodb', 'sqlite', 'sqs', 'secrets'];
/** Features: what the product does. */
const FEATURES = ['worker', 'receiver', 'catchup', 'reconcile', 'app-guard', 'bootstrap', 'ops'];
/** Composition roots inside src/: only they (and lambdas/, bin/, scripts/) wire adapters to features. */
const ROOTS = ['local', 'cli'];

const folderOf = (file: string): string | undefined => {
  const parts = rel(file).split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
};

function importsInto(from: string[], into: string[]): string[] {
  return FILES.filter((f) => from.includes(folderOf(f) ?? '')).flatMap((f) =>
    (GRAPH.get(f)?.local ?? [])
      .filter((d) => into.includes(folderOf(d) ?? ''))
      .map((d) => `${rel(f)} → ${rel(d)}`),
  );
}

describe('Architecture: the folder layers', () => {
  it('lets no adapter folder import a feature or a composition root', () => {
    expect(importsInto(ADAPTERS, [...FEATURES, ...ROOTS])).toEqual([]);
  });

  it('lets no feature import a composition root (src/local, src/cli)', () => {
    expect(importsInto(FEATURES, ROOTS)).toEqual([]);
  });

  it('keeps Secrets Manager parsing at the bottom: src/secrets imports only the domain', () => {
    expect(importsInto(['secrets'], [...ADAPTERS.filter((a) => a !== 'secrets'), 'config'])).toEqual([]);
  });

  it('lets nothing in src/ import lambdas/, bin/ or scripts/', () => {
    const upward = FILES.filter((f) => rel(f).startsWith('src/')).flatMap((f) =>
      (GRAPH.get(f)?.local ?? [])
        .filter((d) => /^(lambdas|bin|scripts)\//.test(rel(d)))
        .map((d) => `${rel(f)} → ${rel(d)}`),
    );
    expect(upward).toEqual([]);
  });
});

describe('Architecture: the policy', () => {
  // A fallback for a policy field (`suspendedPolicy ?? …`, `?? 0.1` beside maxRemovalShare) anywhere but
  // src/domain/policy.ts would be a second home for a default.
  const POLICY_FIELDS =
    'assignmentMode|suspendedPolicy|clearUserTypeOnRemoval|pruneUnmanaged|maxRemovalShare|minRemovalAllowance|' +
    'maxDeactivationShare|minDeactivationAllowance|pinnedUserNameTemplate';
  const FALLBACK = new RegExp(`\\b(${POLICY_FIELDS})\\b[^\\n;]*\\?\\?`);

  it('applies policy defaults only in src/domain/policy.ts', () => {
    const elsewhere = FILES.filter(
      (f) => !rel(f).startsWith('emulator/') && rel(f) !== 'src/domain/policy.ts',
    )
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${rel(f)}:${i + 1}` })),
      )
      .filter(({ line }) => FALLBACK.test(line) || /\bPOLICY_DEFAULTS\b/.test(line))
      .map(({ at }) => at);
    // The settings schema quotes the defaults in its descriptions (docs/configuration.md is generated from them).
    expect(elsewhere.filter((at) => !at.startsWith('src/config/policy-env.ts:'))).toEqual([]);
  });
});
