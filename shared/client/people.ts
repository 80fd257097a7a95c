/** Console users, the dashboard's numbers and the cross-execution logs through the client. */
import type { LogSearch, LogSearchPage } from "../api/logs.ts";
import type { Stats } from "../api/stats.ts";
import type { ConsoleUser, CreateUserRequest, UpdateUserRequest, UserWithPassword } from "../api/users.ts";
import type { HttpTransport, Query } from "./http.ts";

/** A user is named by id or by email. */
const userPath = (user: string) => `/v1/users/${encodeURIComponent(user)}`;

export function peopleClient(http: HttpTransport) {
  return {
    users: {
      async list(): Promise<ConsoleUser[]> {
        return (await http.json<{ users: ConsoleUser[] }>("GET", "/v1/users")).users;
      },
      get(user: string): Promise<ConsoleUser> {
        return http.json("GET", userPath(user));
      },
      /** The answer holds the password (given or generated): the only time it is shown. */
      create(request: CreateUserRequest): Promise<UserWithPassword> {
        return http.json("POST", "/v1/users", { body: request });
      },
      update(user: string, change: UpdateUserRequest): Promise<ConsoleUser> {
        return http.json("PATCH", userPath(user), { body: change });
      },
      disable(user: string): Promise<ConsoleUser> {
        return http.json("PATCH", userPath(user), { body: { disabled: true } });
      },
      enable(user: string): Promise<ConsoleUser> {
        return http.json("PATCH", userPath(user), { body: { disabled: false } });
      },
      /** Sets a new password (generated unless given) and ends the user's sessions; the answer shows it once. */
      resetPassword(user: string, password?: string): Promise<UserWithPassword> {
        return http.json("POST", `${userPath(user)}/reset-password`, { body: password === undefined ? {} : { password } });
      },
    },
    stats(query: { utcOffsetMinutes?: number; days?: number } = {}): Promise<Stats> {
      return http.json("GET", "/v1/stats", { query });
    },
    logs(search: LogSearch = {}): Promise<LogSearchPage> {
      return http.json("GET", "/v1/logs", { query: search as Query });
    },
  };
}
