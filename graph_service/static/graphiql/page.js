// The GraphiQL page of graph-service (served from /static/graphiql/page.js; see graph_service/api/graphiql.py).
// The API key typed at the top is kept in this tab's sessionStorage only and sent as "Authorization: Bearer <key>"
// with every request; a header set in GraphiQL's Headers tab overrides it.
(function () {
  "use strict";

  var STORAGE_KEY = "graph-service:api-key";
  var DEFAULT_QUERY = [
    "# Enter an API key above (it is sent as Authorization: Bearer <key>),",
    "# then run the query with Ctrl-Enter or the run button.",
    "# The schema's documentation: the Docs button at the top left.",
    "{",
    "  areas(level: CITY) {",
    "    edges { node { domainId name } }",
    "  }",
    "}",
    "",
  ].join("\n");

  var container = document.getElementById("graphiql");
  var form = document.getElementById("gs-key-form");
  var input = document.getElementById("gs-api-key");
  var state = document.getElementById("gs-key-state");
  var send = GraphiQL.createFetcher({ url: container.dataset.endpoint });

  function readKey() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) || "";
    } catch (error) {
      return "";
    }
  }

  function keepKey(key) {
    try {
      if (key) {
        window.sessionStorage.setItem(STORAGE_KEY, key);
      } else {
        window.sessionStorage.removeItem(STORAGE_KEY);
      }
    } catch (error) {
      // Storage may be switched off: the key then lasts until the page is left.
    }
  }

  function fetcherWith(key) {
    return function (params, options) {
      var headers = {};
      if (key) {
        headers.Authorization = "Bearer " + key;
      }
      Object.assign(headers, (options && options.headers) || {});
      return send(params, Object.assign({}, options, { headers: headers }));
    };
  }

  var root = ReactDOM.createRoot(container);

  // A new fetcher makes GraphiQL load the schema again, now with the key.
  function render(key) {
    state.textContent = key ? "key in use" : "no key yet: requests are refused (401)";
    root.render(
      React.createElement(GraphiQL, {
        fetcher: fetcherWith(key),
        defaultQuery: DEFAULT_QUERY,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
      })
    );
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var key = input.value.trim();
    keepKey(key);
    render(key);
  });

  input.value = readKey();
  render(input.value.trim());
})();
