#pragma once
// PostgreSQL for integration tests: the shared throwaway cluster started by the CTest
// fixture (tests/scripts/pg-up.sh), a fresh database per test, and private clusters for
// tests that stop or restart the server.

#include <filesystem>
#include <string>

namespace b3s::test {

/// URL of the shared cluster (from $B3S_TEST_PG_DIR/url). Throws with a clear message when
/// the fixture did not run: integration tests never pass silently without PostgreSQL.
std::string sharedClusterUrl();

/// Creates a new, empty database on the cluster of `cluster_url` and returns its URL.
std::string createDatabase(const std::string& cluster_url);

/// A cluster of its own (pg-up.sh into a temp dir), stopped and removed by the destructor.
class PrivateCluster {
public:
    PrivateCluster();
    ~PrivateCluster();
    const std::string& url() const { return url_; }
    void stop();
    void start();
    void restart();
    /// SIGSTOP / SIGCONT every process of the cluster: queries hang instead of failing.
    void freeze();
    void thaw();

private:
    void control(const std::string& action);
    std::filesystem::path dir_;
    std::string url_;
};

}  // namespace b3s::test
