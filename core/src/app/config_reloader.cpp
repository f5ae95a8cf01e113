#include "app/config_reloader.hpp"

#include "config/core_settings.hpp"
#include "config/env_files.hpp"
#include "config/settings_reload.hpp"
#include "log/log_sink.hpp"
#include "log/logger.hpp"

#include <fmt/format.h>

namespace b3s::core::app {
namespace {

const log::Logger& reloadLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

ConfigReloader::ConfigReloader(std::vector<std::string> env_files, std::map<std::string, std::string> files_at_start,
                               http::RequestMetrics& access_log)
    : env_files_(std::move(env_files)), files_(std::move(files_at_start)), access_log_(access_log) {}

void ConfigReloader::reload() noexcept {
    auto& sink = log::LogSink::instance();
    try {
        sink.flushDeferred();
        auto read = config::readEnvFiles(env_files_);
        const auto plan = config::planReload(files_, read.variables);
        files_ = std::move(read.variables);

        auto format = sink.currentFormat();
        auto level = sink.currentLevel();
        std::vector<std::string> applied;
        for (const auto& key : plan.apply) {
            try {
                if (key == "B3SCALE_LOG_FORMAT")
                    format = config::parseLogFormatSetting(plan.values);
                else if (key == "B3SCALE_LOG_LEVEL")
                    level = config::parseLogLevelSetting(plan.values);
                else if (key == "B3SCALE_ACCESS_LOG")
                    access_log_.setPolicy(config::parseAccessLogSetting(plan.values));
                applied.push_back(key);
            } catch (const config::ConfigError& e) {
                reloadLog().error("reload_invalid",
                                  {{"variable", e.key()}, {"error", e.what()}, {"kept", "the value in use"}});
            }
        }
        sink.configure(format, level);
        reloadLog().info("reloaded", {{"applied", fmt::format("{}", fmt::join(applied, ","))},
                                      {"files", fmt::format("{}", fmt::join(read.files, ","))}});
        if (!plan.restart_required.empty())
            reloadLog().warn("reload_restart_required",
                             {{"variables", fmt::format("{}", fmt::join(plan.restart_required, ","))},
                              {"hint", "restart b3scaled (systemctl restart b3scale) to apply them"}});
    } catch (const std::exception& e) {
        reloadLog().error("reload_failed", {{"error", e.what()}});
    }
}

}  // namespace b3s::core::app
