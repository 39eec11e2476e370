// The schema as an ordered list of migrations. Migration i (1-based) takes a
// database from user_version i-1 to i. Migrations are only ever appended.
#pragma once

#include <string_view>
#include <vector>

namespace wb::store {

const std::vector<std::string_view>& migrations();

} // namespace wb::store
