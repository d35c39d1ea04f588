"""plc_fb_test: a Bazel test that compiles FB types with plc and drives one
of them with an FB test script (tools/plc/fb_test_script.h) on a virtual
clock. From another workspace:

    load("@plc//tools/plc:defs.bzl", "plc_fb_test")

    plc_fb_test(
        name = "debounce_test",
        srcs = ["debounce.st"],             # .st and 4diac files (.fbt, ...)
        script = "debounce_test.fbtest",
    )

The types a source uses are also looked up in its folder, as `plc check`
does. The test fails with located messages ("file:line: FAIL: expected
COUNT = 3, got 2") when an expectation does not hold.
"""

def plc_fb_test(name, srcs, script, **kwargs):
    plc = str(Label("//tools/plc:plc"))
    native.sh_test(
        name = name,
        srcs = [str(Label("//tools/plc:fb_test_runner.sh"))],
        args = ["$(rootpath %s)" % plc, "test"] +
               ["$(rootpath %s)" % s for s in srcs] +
               ["$(rootpath %s)" % script],
        data = [plc, script] + srcs,
        **kwargs
    )
