#include "app/part.hpp"

#include "log/logger.hpp"

namespace b3s::core::app {
namespace {

const log::Logger& partLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

StartupError::StartupError(int exit_code, std::string event, Fields fields)
    : std::runtime_error(event), exit_code_(exit_code), event_(std::move(event)), fields_(std::move(fields)) {}

void PartStack::startOne(std::unique_ptr<Part> part) {
    try {
        part->start();
    } catch (...) {
        part->stop();
        partLog().info("part_stopped", {{"part", part->name()}, {"reason", "its start failed"}});
        throw;
    }
    partLog().info("part_started", {{"part", part->name()}});
    parts_.push_back(std::move(part));
}

void PartStack::stopAll() noexcept {
    while (!parts_.empty()) {
        auto part = std::move(parts_.back());
        parts_.pop_back();
        part->stop();
        const std::string name(part->name());
        part.reset();
        partLog().info("part_stopped", {{"part", name}});
    }
}

std::vector<std::string> PartStack::running() const {
    std::vector<std::string> names;
    for (const auto& p : parts_) names.emplace_back(p->name());
    return names;
}

}  // namespace b3s::core::app
