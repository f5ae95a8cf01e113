#pragma once
// b3scaled: a Poco ServerApplication. Reads the environment and the settings, then assembles
// the server from its parts (app/*_part.hpp) in start order; a termination request or a part
// that fails to start stops the started ones in the reverse order. Serving, it takes its
// signals itself (os/process_signals.hpp): SIGTERM/SIGINT/SIGQUIT stop it, SIGHUP reloads
// (app/config_reloader.hpp), and it tells systemd about each step (os/service_notifier.hpp).

#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "config/environment.hpp"
#include "os/service_notifier.hpp"

#include <Poco/Util/ServerApplication.h>

#include <map>
#include <string>
#include <vector>

namespace b3s::core::app {

class ServerApp final : public Poco::Util::ServerApplication {
public:
    ServerApp();
    ~ServerApp() override;

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    enum class Mode { Serve, CheckConfig, Migrate, Version, Help, HelpConfig };
    int runMode(Mode mode);
    /// The parts, started in order; returns when a termination is requested (Serve) or the
    /// mode's work is done. Throws StartupError.
    void assemble(Mode mode, const config::CoreSettings& settings, const config::Environment& env, PartStack& parts);

    Mode mode_ = Mode::Serve;
    os::ServiceNotifier notifier_;
    std::map<std::string, std::string> env_files_at_start_;  ///< for SIGHUP's comparison
};

}  // namespace b3s::core::app
