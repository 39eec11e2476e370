// Flag helpers shared by the subcommands (see common.h).
#include "cmd/common.h"

namespace wb::cmd {

void add_min_isolation(CLI::App* sub, std::string& level, const std::string& refused) {
    sub->add_option("--min-isolation", level,
                    "Refuse to " + refused +
                        " with less isolation than this: full, userns or rlimits (the default)")
        ->type_name("LEVEL")
        ->check(CLI::IsMember({"full", "userns", "rlimits"}));
}

} // namespace wb::cmd
