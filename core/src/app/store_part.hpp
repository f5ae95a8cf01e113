#pragma once
// The store: opened from B3SCALE_DB_URL when built (no connection yet, so --check-config
// needs no database), migrated on --migrate, checked before serving (the database answers
// and carries the schema this binary speaks), closed when destroyed.

#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

#include <memory>

namespace b3s::core::app {

class StorePart final : public Part {
public:
    /// Throws StartupError (store_invalid) for a URL no connector takes.
    StorePart(const config::CoreSettings& settings, const Clock& clock);
    std::string_view name() const override { return "store"; }

    store::Store& store() const { return *store_; }

    /// Applies pending migrations (each in one transaction). Throws StartupError.
    void migrate();
    /// Throws StartupError when the database does not answer or its schema is older or newer
    /// than this b3scaled's.
    void requireCurrentSchema();

private:
    std::unique_ptr<store::Store> store_;
};

}  // namespace b3s::core::app
