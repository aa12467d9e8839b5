import { useSyncExternalStore } from "react";

import { session, type Profile, type SessionState } from "./session";

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState);
}

/** The signed-in user (only under the signed-in part of the app). */
export function useUser(): Profile {
  const state = useSession();
  if (state.status !== "signed-in") throw new Error("useUser outside a signed-in page");
  return state.user;
}
