// The store's narrow interfaces, together: what a server request or a
// worker's job may touch. Core's functions take the one interface they
// need; the server hands them these from behind its lock (core/server/db.h).
#pragma once

#include "store/accounts.h"
#include "store/answers.h"
#include "store/catalog.h"
#include "store/submissions.h"
#include "store/workers.h"

namespace wb::core {

struct Stores {
    store::Catalog& catalog;
    store::Accounts& accounts;
    store::Submissions& submissions;
    store::Workers& workers;
    store::Answers& answers;
};

} // namespace wb::core
