// Answers to an MP's questions (see answers.h).
#include "core/answers.h"

#include "core/attempt.h"
#include "core/error.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace wb::core {

std::vector<std::string> checked_answers(const nlohmann::json& answers,
                                         const std::vector<std::string>& questions,
                                         const std::string& mp_id) {
    if (questions.empty())
        throw InputError(
            fmt::format("MP '{}' asks no questions (it has no questions.json)", mp_id));
    if (!answers.is_array() || answers.size() != questions.size()) {
        throw InputError(fmt::format("field 'answers' must be an array of {} strings, one per "
                                     "question of MP '{}'",
                                     questions.size(), mp_id));
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (!answers[i].is_string())
            throw InputError(fmt::format("answers[{}] must be a string", i));
        auto a = answers[i].get<std::string>();
        if (a.size() > max_answer_bytes) {
            throw InputError(fmt::format("answers[{}] is {} bytes, over the limit of {} bytes", i,
                                         a.size(), max_answer_bytes));
        }
        out.push_back(std::move(a));
    }
    return out;
}

std::string answers_csv(const std::vector<store::AnswerSet>& sets,
                        const std::vector<std::string>& questions) {
    std::string out = "user,mp,question,question_text,answer,answered_at\r\n";
    for (const auto& s : sets) {
        for (std::size_t i = 0; i < s.answers.size(); ++i) {
            const std::string q = i < questions.size() ? questions[i] : "";
            out +=
                fmt::format("{},{},{},{},{},{}\r\n", csv_field(s.user), csv_field(s.mp_id), i + 1,
                            csv_field(q), csv_field(s.answers[i]), csv_field(s.answered_at));
        }
    }
    return out;
}

} // namespace wb::core

void nlohmann::adl_serializer<wb::store::AnswerSet>::to_json(nlohmann::json& j,
                                                             const wb::store::AnswerSet& a) {
    j = {{"user", a.user}, {"mp", a.mp_id}, {"answers", a.answers}, {"answered_at", a.answered_at}};
}
