// Answers to an MP's questions (questions.json): one set per user and MP,
// the latest kept with when it was given. One of the store's narrow
// interfaces (see catalog.h); throws store::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::store {

struct AnswerSet {
    std::string user; // the user's name
    std::string mp_id;
    std::vector<std::string> answers; // answers[i] answers question i
    std::string answered_at;
};

class Answers {
  public:
    virtual ~Answers() = default;

    // Replaces the user's answers to the MP's questions; returns when.
    virtual std::string save_answers(std::int64_t user_id, const std::string& mp_id,
                                     const std::vector<std::string>& answers) = 0;
    virtual std::optional<AnswerSet> answers(std::int64_t user_id, const std::string& mp_id) = 0;
    // Every user's answers to the MP, by user name.
    virtual std::vector<AnswerSet> all_answers(const std::string& mp_id) = 0;
};

} // namespace wb::store
