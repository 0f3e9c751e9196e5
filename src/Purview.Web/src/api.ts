// Every API call goes through here: it adds the bearer token, shows progress and turns error bodies into messages.

const TokenKey = "purview.token";

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TokenKey);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TokenKey, value);
    else sessionStorage.removeItem(TokenKey);
  },
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let inFlight = 0;
function progress(delta: number) {
  inFlight += delta;
  const bar = document.getElementById("progress");
  if (bar) bar.hidden = inFlight === 0;
  document.body.setAttribute("aria-busy", inFlight > 0 ? "true" : "false");
}

/** Called when the API says the token is missing or no longer valid. */
export let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    // RFC 7807 problems (ours), Purview's {"error": {...}} on /scan, Atlas's {errorMessage} on /datamap.
    const detail = body.detail ?? body.error?.message ?? body.errorMessage ?? body.title;
    if (detail) return `${detail} (HTTP ${response.status})`;
  } catch {
    // not JSON: fall through
  }
  return `${response.status} ${response.statusText || "error"}${text ? ": " + text.slice(0, 200) : ""}`;
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  progress(1);
  try {
    const response = await fetch(path, { ...init, headers });
    if (response.status === 401) {
      const message = await errorMessage(response);
      onUnauthorized();
      throw new ApiError(401, message);
    }
    if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
    return response;
  } finally {
    progress(-1);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path, { headers: { Accept: "application/json" } })).json() as Promise<T>;
}

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const response = await request(path, {
    method: "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file with the token (a plain link could not send it) and hands it to the browser as a file. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await request(path);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export const enc = encodeURIComponent;
