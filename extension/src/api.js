// The one client of the Vouch server. Every failure becomes an ApiError with the
// server's {code, message} (or a clear one of our own when the server is unreachable).

export class ApiError extends Error {
  constructor(code, message, status = 0, detail = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.detail = detail;
  }

  static describe(error) {
    if (error instanceof ApiError) {
      return { code: error.code, message: error.message, status: error.status, detail: error.detail };
    }
    return { code: "extension_error", message: String((error && error.message) || error), status: 0, detail: {} };
  }
}

const TIMEOUT_MS = 15000;

export class Api {
  constructor(serverUrl, token) {
    this.base = (serverUrl || "").replace(/\/+$/, "");
    this.token = token || "";
  }

  async request(method, path, { body, headers = {}, query } = {}) {
    if (!this.base) throw new ApiError("not_configured", "Set the Vouch server URL in the extension's options.");
    if (!this.token) throw new ApiError("not_authenticated", "Paste your Vouch API token in the extension's options.", 401);
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(query || {})) url.searchParams.set(key, value);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json",
                   ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: controller.signal,
        credentials: "omit",
      });
    } catch (error) {
      throw new ApiError("unreachable", `Cannot reach the Vouch server at ${this.base}.`, 0);
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 204) return null;
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      throw new ApiError("bad_response", `The server at ${this.base} did not answer like Vouch (HTTP ${response.status}).`, response.status);
    }
    if (!response.ok) {
      const error = (payload && payload.error) || {};
      throw new ApiError(error.code || "http_error", error.message || `HTTP ${response.status}`, response.status, error.detail || {});
    }
    return payload;
  }

  me() { return this.request("GET", "/api/me"); }
  context(context) { return this.request("POST", "/api/context", { body: context }); }
  search(q, source = "sidebar", conversation = null) {
    return this.request("GET", "/api/search", { query: { q, source, limit: "8", ...(conversation ? { conversation } : {}) } });
  }
  findCustomers(q) { return this.request("GET", "/api/customers", { query: { q } }); }
  reply(id, request) { return this.request("POST", `/api/cards/${Number(id)}/reply`, { body: request }); }
  card(id) { return this.request("GET", `/api/cards/${Number(id)}`); }
  saveCard(id, version, changes) {
    return this.request("PUT", `/api/cards/${Number(id)}`, { body: changes, headers: { "If-Match": `"${Number(version)}"` } });
  }
  verifyCard(id) { return this.request("POST", `/api/cards/${Number(id)}/verify`); }
  queue() { return this.request("GET", "/api/queue"); }
  markRead(id) { return this.request("POST", `/api/notifications/${Number(id)}/read`); }
  flagCard(id, kind, reason) { return this.request("POST", `/api/cards/${Number(id)}/flags`, { body: { kind, reason } }); }
  cardUsed(cardId, action, searchId, conversation = null, host = null) {
    return this.request("POST", "/api/analytics/events", { body: {
      card_id: Number(cardId), action, search_id: searchId ? Number(searchId) : null,
      ...(conversation ? { conversation } : {}), ...(host ? { host } : {}) } });
  }
  // Which check of which adapter failed on which host: never any of the page's content.
  adapterHealth({ adapter, adapterVersion, host, check }) {
    return this.request("POST", "/api/adapter-health", { body: { adapter, adapter_version: adapterVersion, host, check } });
  }
  addFact(customerId, fact) { return this.request("POST", `/api/customers/${Number(customerId)}/facts`, { body: fact }); }
  updateFact(id, version, fact) {
    return this.request("PUT", `/api/facts/${Number(id)}`, { body: fact, headers: { "If-Match": `"${Number(version)}"` } });
  }
  confirmFact(id, version) {
    return this.request("POST", `/api/facts/${Number(id)}/confirm`, { headers: { "If-Match": `"${Number(version)}"` } });
  }
  deleteFact(id) { return this.request("DELETE", `/api/facts/${Number(id)}`); }
}
