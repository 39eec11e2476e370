// `wbtool grades|answers|workers`: course staff's views of a server
// (core/client/staff.cpp, in the client module).
#include "cmd/client.h"

namespace wb::cmd {

void add_staff(CLI::App& app, Globals& g, Action& action) {
    using client::Command;
    auto grades = add_client_command(
        app, "grades", "Grades: the best submission per user and MP (TAs see everyone's)",
        Command::grades, g, action);
    grades.app->add_option("--mp", grades.call->mp, "Only this MP")->type_name("MP");
    grades.app->add_flag("--csv", grades.call->csv, "Print the CSV export (TA, admin)");

    auto answers = add_client_command(app, "answers",
                                      "Every student's answers to an MP's questions, as CSV "
                                      "(TA, admin)",
                                      Command::answers, g, action);
    answers.app->add_option("mp", answers.call->mp, "The MP's id")->required()->type_name("MP");
    answers.app->add_flag("--csv", answers.call->csv, "Print the CSV export (the default)");

    add_client_command(app, "workers",
                       "The server's workers: state, slots, load, last heartbeat, GPU health",
                       Command::workers, g, action);
}

} // namespace wb::cmd
