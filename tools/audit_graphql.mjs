// Runs graphql-http's server audits (GraphQL-over-HTTP spec) against a running server, sending an API key on
// every request. Usage: node tools/audit_graphql.mjs <graphql url> <bearer key>
// Prints one JSON line per audit and a summary; exits 1 if any audit ends in an error or a warning.
import { auditServer } from 'graphql-http';

const [url, key] = process.argv.slice(2);
if (!url || !key) {
  console.error('usage: node tools/audit_graphql.mjs <graphql url> <bearer key>');
  process.exit(2);
}

const fetchWithKey = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
};

const results = await auditServer({ url, fetchFn: fetchWithKey });
let failed = 0;
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    failed += 1;
    line.reason = result.reason;
    if (result.response) {
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get('content-type');
    }
  }
  console.log(JSON.stringify(line));
}
const counts = { total: results.length, ok: results.filter((r) => r.status === 'ok').length, failed };
console.log(JSON.stringify({ summary: counts }));
process.exit(failed ? 1 : 0);
