// The layer rule: a file under src/ imports only its own layer and the layers
// below it. The order is the README's "Layout"; each layer's index.ts says
// the same in prose. Import paths are resolved against the importing file
// rather than matched as text, because folder names recur (src/targets/model/
// is the model target, not the model layer).
import path from 'node:path';

/** The layers, lowest first: each may import those before it, never those after. */
export const LAYERS = ['model', 'targets', 'rows', 'analysis', 'output', 'harness', 'commands'];

/** The layer a path under src/ belongs to, or undefined for a path elsewhere. */
function layerOf(file, root) {
  const parts = path.relative(path.join(root, 'src'), file).split(path.sep);
  if (parts[0] === '..' || parts.length < 2) return undefined;
  return LAYERS.includes(parts[0]) ? parts[0] : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'A layer under src/ may not import a higher layer (README "Layout").' },
    messages: {
      upward: "src/{{from}} may not import src/{{to}} ('{{source}}'): {{to}} is a higher layer (order: {{order}}).",
    },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const from = layerOf(path.resolve(root, context.filename), root);
    if (from === undefined) return {};
    const dir = path.dirname(path.resolve(root, context.filename));
    const check = (node) => {
      const source = node?.type === 'Literal' ? node.value : undefined;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(path.resolve(dir, source), root);
      if (to !== undefined && LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        context.report({ node, messageId: 'upward', data: { from, to, source, order: LAYERS.join(' → ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
