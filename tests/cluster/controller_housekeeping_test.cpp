// The controller's own housekeeping, without backends: a view that went stale because a
// read failed is reloaded by the controller's ticks even when no change comes to trigger it.
// In process, on SQLite: a unit test. (Polls, health, failover and several instances are
// tested through b3scaled in cluster_controller_test.cpp, an integration test.)

#include "cluster/backend_api.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/cluster_controller.hpp"
#include "cluster/cluster_state.hpp"
#include "forwarding_store.hpp"
#include "manual_core_clock.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace b3s::test {
namespace {

using core::cluster::ClusterController;
using core::cluster::ClusterState;

TEST(ClusterControllerTest, StaleViewIsReloadedEvenWhenNoChangeComes) {
    ManualCoreClock clock;
    auto db = TestDatabase::create(Engine::Sqlite);
    auto real = store::openStore(optionsFor(db->url()), clock);
    real->migrate();
    ForwardingStore store(*real);
    ClusterState state(store);
    state.reload();
    store::Frontend f;
    f.key = "arrives-later";
    f.secret = "s";
    real->insertFrontend(f);

    store.setHook([](std::string_view operation) {
        if (operation == "listAllMeetings") throw store::StoreError(store::StoreError::Kind::Unavailable, "down");
    });
    EXPECT_THROW(state.reload(), store::StoreError);
    ASSERT_TRUE(state.stale());
    store.setHook(nullptr);  // the database is back; nothing else happens

    core::cluster::BackendClient client(core::cluster::BackendClientOptions{});
    core::cluster::PollRequests requests;
    const core::cluster::BackendApi api(client, &requests);
    core::cluster::ControllerOptions options;
    options.interval = std::chrono::milliseconds(100);
    options.retry_interval = std::chrono::milliseconds(100);
    ClusterController controller(state, store, api, requests, clock, options);
    controller.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (state.stale() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    controller.stop();
    EXPECT_FALSE(state.stale());
    EXPECT_TRUE(state.frontendByKey("arrives-later")) << "the reload read what came meanwhile";
}

}  // namespace
}  // namespace b3s::test
