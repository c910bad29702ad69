/** Starts a spec from a fresh page: empty session and local storage, the address bar at `/`. */
export function freshPage(): void {
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
}
