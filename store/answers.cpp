// Answers to an MP's questions (see answers.h): a set is its rows, one per
// question, replaced whole in one transaction, so that a shorter set of
// answers leaves no answer of the longer one behind.
#include "store/clock.h"
#include "store/server_store.h"
#include "store/transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace wb::store {
namespace {

// Rows (user, mp, question, answer, answered_at), ordered by user, mp and
// question, into sets.
std::vector<AnswerSet> read_sets(SQLite::Statement& q) {
    std::vector<AnswerSet> out;
    while (q.executeStep()) {
        const auto user = q.getColumn(0).getString();
        const auto mp = q.getColumn(1).getString();
        if (out.empty() || out.back().user != user || out.back().mp_id != mp)
            out.push_back({user, mp, {}, q.getColumn(4).getString()});
        out.back().answers.push_back(q.getColumn(3).getString());
    }
    return out;
}

constexpr const char* set_columns =
    "SELECT u.name, a.mp_id, a.question, a.answer, a.answered_at FROM answers a "
    "JOIN users u ON u.id = a.user_id ";

} // namespace

std::string ServerStore::save_answers(std::int64_t user_id, const std::string& mp_id,
                                      const std::vector<std::string>& answers) try {
    const auto at = utc_text(now_ms());
    auto tx = detail::write_transaction(*db_);
    SQLite::Statement drop(*db_, "DELETE FROM answers WHERE user_id = ? AND mp_id = ?");
    drop.bind(1, user_id);
    drop.bind(2, mp_id);
    drop.exec();
    SQLite::Statement add(*db_, "INSERT INTO answers (user_id, mp_id, question, answer, "
                                "answered_at) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < answers.size(); ++i) {
        add.bind(1, user_id);
        add.bind(2, mp_id);
        add.bind(3, static_cast<std::int64_t>(i));
        add.bind(4, answers[i]);
        add.bind(5, at);
        add.exec();
        add.reset();
    }
    tx.commit();
    return at;
} catch (...) {
    rethrow_as_store_error("save answers");
}

std::optional<AnswerSet> ServerStore::answers(std::int64_t user_id, const std::string& mp_id) try {
    SQLite::Statement q(*db_, std::string(set_columns) +
                                  "WHERE a.user_id = ? AND a.mp_id = ? ORDER BY a.question");
    q.bind(1, user_id);
    q.bind(2, mp_id);
    auto sets = read_sets(q);
    if (sets.empty()) return std::nullopt;
    return std::move(sets.front());
} catch (...) {
    rethrow_as_store_error("answers");
}

std::vector<AnswerSet> ServerStore::all_answers(const std::string& mp_id) try {
    SQLite::Statement q(*db_,
                        std::string(set_columns) + "WHERE a.mp_id = ? ORDER BY u.name, a.question");
    q.bind(1, mp_id);
    return read_sets(q);
} catch (...) {
    rethrow_as_store_error("all answers");
}

} // namespace wb::store
