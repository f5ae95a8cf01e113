#pragma once
// The one error type of the store. Callers branch on kind(), never on message text.

#include <stdexcept>
#include <string>

namespace b3s::core::store {

class StoreError : public std::runtime_error {
public:
    enum class Kind {
        Unavailable,     ///< database unreachable or connection lost; retry later
        Conflict,        ///< unique constraint violated (SQLSTATE 23505 / SQLite UNIQUE)
        Stale,           ///< optimistic version check failed: the row changed meanwhile
        Invalid,         ///< bad input rejected by the database (22xxx, CHECK, FK)
        SchemaMismatch,  ///< schema version is not the one this binary speaks
        Internal,        ///< anything else; a bug or an unexpected database state
    };

    StoreError(Kind kind, const std::string& message, std::string sqlstate = {})
        : std::runtime_error(message), kind_(kind), sqlstate_(std::move(sqlstate)) {}

    Kind kind() const noexcept { return kind_; }
    /// Five-character SQLSTATE when the database reported one, else empty.
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    Kind kind_;
    std::string sqlstate_;
};

const char* toString(StoreError::Kind kind) noexcept;

}  // namespace b3s::core::store
