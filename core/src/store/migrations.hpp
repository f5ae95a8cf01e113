#pragma once
// The schema, as an ordered list of migrations written in C++ (Poco runs one statement per
// call, so each migration is a list of statements). SqlStore applies each migration in one
// transaction together with its __meta__ row.

#include "store/sql_dialect.hpp"

#include <string>
#include <vector>

namespace b3s::core::store {

struct Migration {
    int version = 0;
    std::string description;
    std::vector<std::string> statements;
};

/// Every migration this binary knows, ascending by version, in the dialect's spelling.
std::vector<Migration> schemaMigrations(const SqlDialect& dialect);

/// The bookkeeping table, created (if missing) inside the first migration transaction.
std::string metaTableDdl(const SqlDialect& dialect);

}  // namespace b3s::core::store
