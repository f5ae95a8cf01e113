// Surfaces peers were attacked through that b3scaled does not have: Scalelite's FreeSWITCH
// dial-plan endpoint (caller-id injection, 2026; dial-in ignoring tenant secrets, SL#980) and
// its admin API. A stranger probing for them gets the JSON 404 of any unknown path, with or
// without credentials, and nothing reaches a tenant.

#include "b3scaled_process.hpp"

#include <gtest/gtest.h>

#include <string>

namespace b3s::test {
namespace {

TEST(SecurityTest, NoDialPlanEndpoint) {
    auto env = baseEnv();
    env["B3SCALE_DB_URL"] = "sqlite://" + (makeTempDir("attack-surface") / "b3scale.db").string();
    B3scaledProcess migrate(env, {"--migrate"});
    ASSERT_EQ(runToExit(migrate), 0) << migrate.stderrText();
    B3scaledProcess server(env);
    const auto port = server.waitReady();
    ASSERT_TRUE(port) << server.stderrText();
    // mod_xml_curl's request as FreeSWITCH sends it, with Basic credentials and a caller id
    // that would break out of a dial plan.
    const std::string form =
        "section=dialplan&Caller-Caller-ID-Number=%22%2F%3E%3Caction%20application%3D"
        "%22bridge%22%2F%3E&variable_sip_h_X-Tenant=other";
    for (const auto* path : {"/fsapi", "/scalelite/api/servers", "/scalelite/api/tenants"}) {
        for (const auto* method : {"GET", "POST"}) {
            const auto r = httpRequest(method, "127.0.0.1", *port, path, form, "application/x-www-form-urlencoded",
                                       {{"Authorization", "Basic ZnJlZXN3aXRjaDpzZWNyZXQ="}});
            EXPECT_TRUE(r.status == 404 || r.status == 405) << method << ' ' << path << " → " << r.status;
            EXPECT_EQ(r.body.find("<document"), std::string::npos) << "a dial plan came back for " << path;
            EXPECT_EQ(r.body.find("<action"), std::string::npos) << r.body;
        }
    }
}

}  // namespace
}  // namespace b3s::test
