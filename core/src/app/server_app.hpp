#pragma once
// b3scaled: a Poco ServerApplication. Start-up order: env files → logging → settings →
// store → plugins → schema check → HTTP. Shutdown is the exact reverse: stop accepting,
// finish in-flight requests, release plugins in reverse load order, close the store.

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace b3s::core::app {

/// sysexits.h codes, so service managers and scripts can tell failures apart.
enum ExitCode : int {
    kExitOk = 0,
    kExitUnavailable = 69,  ///< the database cannot be reached
    kExitSoftware = 70,     ///< an unexpected internal error
    kExitConfig = 78,       ///< configuration, plugin or schema problem
};

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

    Mode mode_ = Mode::Serve;
};

}  // namespace b3s::core::app
