import { createContext, useContext } from 'react';
import type { Me } from './api';

/** The signed-in user (GET /v1/auth/me) for every page; viewers see no write actions. */
export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('no session');
  return me;
}

export function useCanWrite(): boolean {
  return useSession().role === 'admin';
}
