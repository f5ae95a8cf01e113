// FakeContext is header-only; this file anchors it in the library so a broken include
// shows up when b3s_test_fakes builds, not in the first plugin test that uses it.
#include "fake_context.hpp"
