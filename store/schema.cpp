// The migrations, oldest first. Never edit one that has shipped: append.
#include "store/schema.h"

namespace wb::store {

const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> list = {
        // 1: MP bundles, their versions and their files as blobs.
        R"sql(
        CREATE TABLE blobs (
            hash TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE mps (
            id          TEXT NOT NULL,
            version     INTEGER NOT NULL,
            title       TEXT NOT NULL,
            bundle_hash TEXT NOT NULL,
            summary     TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            PRIMARY KEY (id, version)
        ) WITHOUT ROWID;
        CREATE TABLE mp_files (
            mp_id   TEXT NOT NULL,
            version INTEGER NOT NULL,
            path    TEXT NOT NULL,
            hash    TEXT NOT NULL REFERENCES blobs(hash),
            size    INTEGER NOT NULL,
            PRIMARY KEY (mp_id, version, path),
            FOREIGN KEY (mp_id, version) REFERENCES mps(id, version)
        ) WITHOUT ROWID;
        )sql",
        // 2: the server: users, sessions, saved programs, attempts, the job
        // queue and workers. Secrets (API keys, session tokens) are stored
        // as keyed hashes computed in core; passwords as argon2id strings.
        // Times the server compares are unix milliseconds (*_ms); times
        // shown to people are ISO 8601 UTC text (*_at).
        R"sql(
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            role          TEXT NOT NULL CHECK (role IN ('student', 'ta', 'admin')),
            password_hash TEXT NOT NULL,
            api_key_hash  TEXT NOT NULL UNIQUE,
            created_at    TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            expires_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE saved_programs (
            user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            mp_id    TEXT NOT NULL,
            text     TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (user_id, mp_id)
        ) WITHOUT ROWID;
        CREATE TABLE attempts (
            id           INTEGER PRIMARY KEY,
            user_id      INTEGER NOT NULL REFERENCES users(id),
            mp_id        TEXT NOT NULL,
            mp_version   INTEGER NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('submit', 'grade')),
            dataset      INTEGER,
            program_name TEXT NOT NULL,
            program_text TEXT NOT NULL,
            program_hash TEXT NOT NULL,
            state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
            verdict      TEXT,
            message      TEXT NOT NULL DEFAULT '',
            correct      INTEGER NOT NULL DEFAULT 0,
            total        INTEGER NOT NULL DEFAULT 0,
            report       TEXT,
            created_at   TEXT NOT NULL,
            finished_at  TEXT,
            FOREIGN KEY (mp_id, mp_version) REFERENCES mps(id, version)
        );
        CREATE INDEX attempts_by_user_mp ON attempts (user_id, mp_id, id);
        CREATE INDEX attempts_by_mp ON attempts (mp_id, id);
        CREATE TABLE jobs (
            id             INTEGER PRIMARY KEY,
            attempt_id     INTEGER NOT NULL UNIQUE REFERENCES attempts(id),
            toolchain      TEXT NOT NULL,
            needs_gpu      INTEGER NOT NULL,
            lease_seconds  REAL NOT NULL,
            state          TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done')),
            tries          INTEGER NOT NULL DEFAULT 0,
            worker_id      TEXT,
            lease_token    TEXT,
            lease_expires_ms INTEGER,
            last_error     TEXT NOT NULL DEFAULT '',
            created_ms     INTEGER NOT NULL
        );
        CREATE INDEX jobs_by_state ON jobs (state, id);
        CREATE TABLE workers (
            id            TEXT PRIMARY KEY,
            capabilities  TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT '{}',
            gpu_ok        INTEGER NOT NULL DEFAULT 1,
            registered_at TEXT NOT NULL,
            last_seen_ms  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE worker_log (
            id        INTEGER PRIMARY KEY,
            worker_id TEXT NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
            at        TEXT NOT NULL,
            line      TEXT NOT NULL
        );
        CREATE INDEX worker_log_by_worker ON worker_log (worker_id, id);
        )sql",
        // 3: an admin's request that a worker drain (finish what it holds,
        // lease nothing new); cleared when the worker registers again.
        R"sql(
        ALTER TABLE workers ADD COLUMN drain INTEGER NOT NULL DEFAULT 0;
        )sql",
        // 4: an attempt's points, counted as the MP's scores say (NULL for
        // attempts finished before scores), and whether it came after the
        // MP's coding deadline.
        R"sql(
        ALTER TABLE attempts ADD COLUMN points REAL;
        ALTER TABLE attempts ADD COLUMN max_points REAL;
        ALTER TABLE attempts ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
        )sql",
        // 5: students' answers to an MP's questions (questions.json), one
        // row per question; a new set of answers replaces the old one.
        R"sql(
        CREATE TABLE answers (
            user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            mp_id       TEXT NOT NULL,
            question    INTEGER NOT NULL,
            answer      TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (user_id, mp_id, question)
        ) WITHOUT ROWID;
        CREATE INDEX answers_by_mp ON answers (mp_id, user_id);
        )sql",
    };
    return list;
}

} // namespace wb::store
