// Answers to an MP's questions (questions.json, Mp::questions): what a
// student may send (one answer per question, each of bounded size) and the
// TAs' CSV export, one line per answer.
#pragma once

#include "store/answers.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace wb::core {

inline constexpr std::size_t max_answer_bytes = 64 * 1024;

// The answers of a request's "answers" field, checked against the MP's
// questions: an array of strings, one per question. InputError naming the
// field and what is wrong.
std::vector<std::string> checked_answers(const nlohmann::json& answers,
                                         const std::vector<std::string>& questions,
                                         const std::string& mp_id);

// user,mp,question,question_text,answer,answered_at (question counts from 1),
// CRLF lines; the question's text from `questions` (empty past its end: an
// answer to an older version's question).
std::string answers_csv(const std::vector<store::AnswerSet>& sets,
                        const std::vector<std::string>& questions);

} // namespace wb::core

// As the API shows a set: user, mp, answers, answered_at.
template <> struct nlohmann::adl_serializer<wb::store::AnswerSet> {
    static void to_json(nlohmann::json& j, const wb::store::AnswerSet& a);
};
