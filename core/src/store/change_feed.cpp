#include "store/change_feed.hpp"

#include <stdexcept>

namespace b3s::core::store {

const char* toString(Change::Table table) noexcept {
    switch (table) {
        case Change::Table::Frontends: return "frontends";
        case Change::Table::Backends: return "backends";
        case Change::Table::Meetings: return "meetings";
    }
    return "unknown";
}

const char* toString(Change::Op op) noexcept {
    switch (op) {
        case Change::Op::Upsert: return "upsert";
        case Change::Op::Delete: return "delete";
        case Change::Op::ResyncAll: return "resync";
    }
    return "unknown";
}

std::string describe(const Change& change) {
    if (change.op == Change::Op::ResyncAll) return "resync all";
    return std::string(toString(change.table)) + " " + toString(change.op) + " " + change.id;
}

std::optional<Change> parseChangeNotification(std::string_view payload) {
    const auto first = payload.find(' ');
    if (first == std::string_view::npos) return std::nullopt;
    const auto table_name = payload.substr(0, first);
    Change change;
    if (table_name == "frontends")
        change.table = Change::Table::Frontends;
    else if (table_name == "backends")
        change.table = Change::Table::Backends;
    else if (table_name == "meetings")
        change.table = Change::Table::Meetings;
    else
        return std::nullopt;

    const auto rest = payload.substr(first + 1);
    if (rest == "resync") {
        change.op = Change::Op::ResyncAll;
        return change;
    }
    const auto second = rest.find(' ');
    if (second == std::string_view::npos || second + 1 >= rest.size()) return std::nullopt;
    const auto op = rest.substr(0, second);
    if (op == "insert" || op == "update")
        change.op = Change::Op::Upsert;
    else if (op == "delete")
        change.op = Change::Op::Delete;
    else
        return std::nullopt;
    change.id = std::string(rest.substr(second + 1));
    return change;
}

void SilentChangeFeed::start(Handler) {
    if (started_) throw std::logic_error("change feed already started");
    started_ = true;
}

void SilentChangeFeed::stop() {
    started_ = false;
}

}  // namespace b3s::core::store
