/** Who is making the request, as routes and policies see them. */
export interface Viewer {
  id: number;
  login: string;
  isAdmin: boolean;
  defaultPseudId: number;
  defaultPseudName: string;
  /** Holds the moderator role (user_roles); admins can do everything moderators can. */
  isModerator?: boolean;
  /** Unread inbox items, counted up to 100 by the session lookup; absent for API tokens. */
  unreadInbox?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    /** The CSRF token every state-changing form on this page must carry back. */
    csrfToken: string;
  }
}
