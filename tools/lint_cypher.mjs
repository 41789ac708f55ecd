// Lint Cypher queries with Neo4j's own linter (@neo4j-cypher/language-support, lintCypherQuery).
//
// stdin:  a JSON array of {name, text}, or {queries: [{name, text}], schema: {...}} where schema is a partial
//         DbSchema (labels, relationshipTypes, propertyKeys, graphSchema) describing our catalogue.
// stdout: a JSON array of {name, errors: [...], warnings: [...]}, each diagnostic {message, line, column}
//         (1-based). Used by tests/contract/test_cypher_lint.py.
//
// Functions and procedures: the linter only reports an unknown function when it is given the list of known
// ones. The package ships the registries of a real server as testData.mockSchema; we take those for
// Cypher 5 minus APOC and GDS (the plain neo4j:5 image has neither), so a LadybugDB-only function such as
// label(n) or an APOC call is an error here. Parameters are never "defined" offline, so the linter's
// "Parameter $x is not defined" diagnostics are dropped (isNotParamError).
import { isNotParamError, lintCypherQuery, testData } from "@neo4j-cypher/language-support";

const CYPHER_VERSION = "CYPHER 5";
const PLUGINS = /^(apoc|gds)\./;

function withoutPlugins(registry) {
  const out = {};
  for (const [version, entries] of Object.entries(registry ?? {})) {
    out[version] = Object.fromEntries(Object.entries(entries).filter(([name]) => !PLUGINS.test(name)));
  }
  return out;
}

function diagnostic(d) {
  return { message: d.message, line: (d.range?.start?.line ?? 0) + 1, column: (d.range?.start?.character ?? 0) + 1 };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const input = JSON.parse(await readStdin());
const queries = Array.isArray(input) ? input : input.queries;
const dbSchema = {
  functions: withoutPlugins(testData.mockSchema.functions),
  procedures: withoutPlugins(testData.mockSchema.procedures),
  defaultLanguage: CYPHER_VERSION,
  ...(Array.isArray(input) ? {} : input.schema ?? {}),
};

const results = queries.map(({ name, text }) => {
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  const kept = diagnostics.filter(isNotParamError);
  // LSP severities: 1 error, 2 warning, 3 information, 4 hint.
  return {
    name,
    errors: kept.filter((d) => d.severity === 1).map(diagnostic),
    warnings: kept.filter((d) => d.severity !== 1).map(diagnostic),
  };
});
process.stdout.write(JSON.stringify(results));
