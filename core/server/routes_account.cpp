// Account routes: signup, login, logout, whoami, API key rotation, and the
// admin's user list. Password hashing (argon2id) runs outside the store lock
// and at most a few at a time, so logins cannot stall other requests or
// exhaust memory (64 MiB each).
#include "core/error.h"
#include "core/output_format.h"
#include "core/server/routes.h"
#include "core/server/users.h"

#include <fmt/format.h>

#include <chrono>

namespace wb::server {
const std::string& Context::dummy_password_hash() {
    std::call_once(dummy_once, [this] { dummy_hash = hash_password(random_hex(16)); });
    return dummy_hash;
}

namespace routes {

// A slot for one argon2id run. Logins and signups are open to anyone, so
// they must not be able to hold the request threads: a few may wait, for a
// bounded time, and the rest are told at once to come back (503 with
// Retry-After), while API-key requests go on.
struct PasswordSlot {
    static constexpr int waiters_per_slot = 2;
    static constexpr auto max_wait = std::chrono::seconds(2);

    explicit PasswordSlot(Context& ctx) : ctx_(ctx) {
        const int waiting = ctx_.password_waiters.fetch_add(1) + 1;
        const bool got = waiting <= waiters_per_slot * static_cast<int>(ctx_.password_slot_count) &&
                         ctx_.password_slots.try_acquire_for(max_wait);
        ctx_.password_waiters.fetch_sub(1);
        if (!got) {
            ApiError busy(503, "unavailable",
                          "the server is busy checking passwords; try again in a second");
            busy.retry_after = 1;
            throw busy;
        }
    }
    ~PasswordSlot() { ctx_.password_slots.release(); }
    PasswordSlot(const PasswordSlot&) = delete;
    PasswordSlot& operator=(const PasswordSlot&) = delete;
    Context& ctx_;
};

// A new API key for the user, replacing the old one; shown once.
std::string new_key_for(Context& ctx, std::int64_t user_id) {
    const auto key = new_api_key();
    const auto hash = keyed_hash(ctx.secrets.server_key, "api", key);
    ctx.db.with([&](Stores& s) {
        s.accounts.set_api_key(user_id, hash);
        return 0;
    });
    return key;
}

void start_session(Context& ctx, Call& c, std::int64_t user_id) {
    const auto token = new_session_token();
    const auto hash = keyed_hash(ctx.secrets.server_key, "session", token);
    const auto now = store::now_ms();
    const auto ttl_ms = static_cast<std::int64_t>(ctx.opts.session_hours * 3600.0 * 1000.0);
    ctx.db.with([&](Stores& s) {
        s.accounts.add_session(hash, user_id, now + ttl_ms, now);
        return 0;
    });
    c.res.set_header("Set-Cookie",
                     fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                                 session_cookie, token, ttl_ms / 1000));
}

NewUser make_user(Context& ctx, const std::string& name, const std::string& role,
                  const std::string& password) {
    NewUser nu;
    {
        PasswordSlot slot(ctx);
        nu = prepare_user(ctx.secrets, name, role, password);
    }
    auto row = ctx.db.with([&](Stores& s) {
        return s.accounts.add_user(name, role, nu.password_hash, nu.api_key_hash);
    });
    if (!row)
        throw ApiError(409, "conflict", fmt::format("a user named '{}' already exists", name));
    nu.user = *row;
    return nu;
}

void signup(Context& ctx, Call& c) {
    if (!ctx.opts.signup)
        throw forbidden("signup is closed on this server: ask an admin for an account");
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"name", "password"});
    const auto name = check_name(get_string(body, "name"), "user name");
    const auto password = get_string(body, "password");
    check_password(password);
    auto nu = make_user(ctx, name, "student", password);
    start_session(ctx, c, nu.user.id);
    reply(c.res, 201, {{"user", nu.user}, {"api_key", nu.api_key}});
}

// A line for the server's log and GET /api/v1/log.
void log_line(Context& ctx, const std::string& line) {
    fmt::print(stderr, "wbtool serve: {}\n", line);
    ctx.log.add(line);
}

// Refused before the password is checked while the account or the address
// is blocked (login_throttle.h).
void check_throttle(Context& ctx, const std::string& name, const std::string& address) {
    const auto wait = ctx.logins.blocked(name, address);
    if (!wait) return;
    log_line(ctx, fmt::format("login refused for '{}' from {}: too many wrong passwords, {} s left",
                              core::output_format::escape(name, 64), address, *wait));
    ApiError e(429, "rate_limited",
               fmt::format("too many wrong passwords for this account or from this address: try "
                           "again in {} s",
                           *wait));
    e.retry_after = *wait;
    throw e;
}

void count_failure(Context& ctx, const std::string& name, const std::string& address) {
    const auto f = ctx.logins.failed(name, address);
    if (f.delay_s == 0) return;
    log_line(ctx, fmt::format("login throttled for '{}' from {}: {} wrong passwords for the "
                              "account, {} from the address; next try in {} s",
                              core::output_format::escape(name, 64), address, f.account_failures,
                              f.address_failures, f.delay_s));
}

// A command line logs in for an API key, not a cookie: "new_api_key":
// true gives the user a new key in the answer (the old one stops working;
// keys are stored only as hashes, so the old one cannot be given back).
void login(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"name", "password", "new_api_key"});
    const auto name = get_string(body, "name");
    const auto password = get_string(body, "password");
    const auto& address = c.req.remote_addr;
    check_throttle(ctx, name, address);
    std::optional<store::UserRow> user;
    std::optional<std::string> hash;
    if (valid_name(name)) {
        ctx.db.with([&](Stores& s) {
            user = s.accounts.user_by_name(name);
            if (user) hash = s.accounts.password_hash(user->id);
            return 0;
        });
    }
    bool ok = false;
    {
        // The same argon2id work whether or not the user exists, so the
        // answer's timing does not tell which names are taken.
        PasswordSlot slot(ctx);
        ok = verify_password(hash ? *hash : ctx.dummy_password_hash(), password) && user;
    }
    if (!ok) {
        count_failure(ctx, name, address);
        throw ApiError(401, "unauthorized", "wrong user name or password");
    }
    ctx.logins.succeeded(name, address);
    const auto want_key = body.find("new_api_key");
    if (want_key != body.end() && !want_key->is_boolean())
        throw bad_request("field 'new_api_key' must be true or false");
    if (want_key != body.end() && want_key->get<bool>()) {
        reply(c.res, 200, {{"user", *user}, {"api_key", new_key_for(ctx, user->id)}});
        return;
    }
    start_session(ctx, c, user->id);
    reply(c.res, 200, {{"user", *user}});
}

// Logout ends cookie sessions, never the API key (rotate it to revoke it,
// POST /api/v1/apikey). With a cookie it ends that session; with an API key
// it ends every session of the user, since the caller who holds the key may
// act as the user anyway and cannot name one browser's session.
void logout(Context& ctx, Call& c) {
    const auto token = cookie_value(c.req, session_cookie);
    const bool one = c.user.by_session && !token.empty();
    const int ended = ctx.db.with([&](Stores& s) {
        if (!one) return s.accounts.delete_sessions_of(c.user.id);
        s.accounts.delete_session(keyed_hash(ctx.secrets.server_key, "session", token));
        return 1;
    });
    c.res.set_header("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                                               session_cookie));
    reply(c.res, 200,
          {{"logged_out", true},
           {"ended", one ? "this_session" : "all_sessions"},
           {"sessions_ended", ended},
           {"api_key_revoked", false}});
}

void whoami(Context&, Call& c) {
    reply(c.res, 200,
          {{"id", c.user.id},
           {"name", c.user.name},
           {"role", c.user.role},
           {"auth", c.user.by_session ? "session" : "api_key"}});
}

void rotate_key(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {});
    reply(c.res, 200, {{"api_key", new_key_for(ctx, c.user.id)}});
}

void list_users(Context& ctx, Call& c) {
    const auto users = ctx.db.with([](Stores& s) { return s.accounts.users(); });
    auto arr = nlohmann::json::array();
    for (const auto& u : users)
        arr.push_back(u);
    reply(c.res, 200, {{"users", arr}});
}

void add_user(Context& ctx, Call& c) {
    const auto body = parse_body(c.req.body, small_body_bytes);
    only_fields(body, {"name", "role", "password"});
    const auto name = check_name(get_string(body, "name"), "user name");
    const auto role = get_string(body, "role");
    if (!valid_role(role))
        throw bad_request(fmt::format("'{}' is not a role: use student, ta or admin", role));
    const auto password = opt_string(body, "password").value_or("");
    if (!password.empty()) {
        check_password(password);
    }
    auto nu = make_user(ctx, name, role, password);
    nlohmann::json out = {{"user", nu.user}, {"api_key", nu.api_key}};
    if (!nu.password.empty()) out["password"] = nu.password;
    reply(c.res, 201, out);
}

} // namespace routes
} // namespace wb::server
