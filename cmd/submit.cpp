// `wbtool save|program|submit|attempts|answer|attempt show`: a student's work on
// a server (core/client/work.cpp does it, in the client module).
#include "cmd/client.h"

namespace wb::cmd {
namespace {

void add_mp_arg(ClientCommand c) {
    c.app->add_option("mp", c.call->mp, "The MP's id")->required()->type_name("MP");
}

void add_program_arg(ClientCommand c) {
    add_mp_arg(c);
    c.app
        ->add_option("file", c.call->files,
                     "The program's files (sources and headers, compiled together), or a "
                     "directory of them")
        ->required()
        ->type_name("FILE");
}

} // namespace

void add_submit(CLI::App& app, Globals& g, Action& action) {
    using client::Command;
    add_program_arg(
        add_client_command(app, "save", "Save a program on the server", Command::save, g, action));

    auto program =
        add_client_command(app, "program", "Print the saved program, else the MP's template",
                           Command::program, g, action);
    add_mp_arg(program);
    program.app
        ->add_option(
            "--output,-o", program.call->output,
            "Write it to FILE instead (a program of several files: into the directory FILE)")
        ->type_name("FILE");

    auto submit = add_client_command(app, "submit",
                                     "Submit a program for grading; prints the "
                                     "attempt id",
                                     Command::submit, g, action);
    add_program_arg(submit);
    submit.app->add_option("--dataset,-d", submit.call->dataset, "Grade only dataset N")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    submit.app->add_flag("--wait,-w", submit.call->wait,
                         "Wait for the verdict and print it as `grade --local` does");

    add_mp_arg(add_client_command(app, "attempts", "List your attempts at an MP, newest first",
                                  Command::attempts, g, action));

    auto answer = add_client_command(app, "answer",
                                     "Answer an MP's questions: from a file, from standard "
                                     "input, or typed one by one at the terminal",
                                     Command::answer, g, action);
    add_mp_arg(answer);
    answer.app
        ->add_option("--file,-f", answer.call->file,
                     "Read the answers from FILE: one per line, or separated by lines of ---")
        ->type_name("FILE");
    answer.app->add_flag("--show", answer.call->show, "Show the questions and your answers");

    auto* attempt = app.add_subcommand("attempt", "Show one attempt");
    attempt->require_subcommand(1);
    attempt->fallthrough();
    auto show = add_client_command(*attempt, "show",
                                   "Show an attempt: verdicts, messages, statistics, compiler "
                                   "output and the program",
                                   Command::attempt_show, g, action);
    show.app->add_option("id", show.call->attempt, "The attempt's id")
        ->required()
        ->type_name("ID")
        ->check(CLI::PositiveNumber);
    show.app
        ->add_option("--diff-dir", show.call->diff_dir,
                     "Write the attempt's difference pictures (image MPs, wrong datasets) to "
                     "DIR/MP-attempt-ID-dataset-N.png")
        ->type_name("DIR");
}

} // namespace wb::cmd
