// The console's only data path: POST /graphql with the signed-in key, as any client would.
const KEY_STORAGE = "graph-service:api-key"; // shared with the GraphiQL page of the same tab

export function readKey() {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE) || "";
  } catch (error) {
    return "";
  }
}

export function keepKey(key) {
  try {
    if (key) window.sessionStorage.setItem(KEY_STORAGE, key);
    else window.sessionStorage.removeItem(KEY_STORAGE);
  } catch (error) {
    // Without sessionStorage the key lives as long as the page.
  }
}

// An error the API answered: `errors` are the GraphQL errors (message, path, extensions), `status` the HTTP status.
export class ApiError extends Error {
  constructor(message, { status = 0, errors = [] } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }
}

export async function graphql(endpoint, key, query, variables) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables: variables || {} }),
    });
  } catch (error) {
    throw new ApiError(`the service does not answer (${error.message})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    throw new ApiError(`the service answered ${response.status} without JSON`, { status: response.status });
  }
  const errors = (body && body.errors) || [];
  if (!response.ok && !errors.length) {
    const message = (body && (body.detail || body.message || (body.error && body.error.message))) || response.statusText;
    throw new ApiError(`${response.status}: ${message}`, { status: response.status });
  }
  if (errors.length) {
    throw new ApiError(errors.map((e) => e.message).join("; "), { status: response.status, errors });
  }
  return body.data;
}

// Posts JSON to a route of the service with the key; answers the Response (the caller reads it).
export async function postJson(url, key, payload) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify(payload),
  });
}
