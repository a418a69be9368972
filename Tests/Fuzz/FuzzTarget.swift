import Lessons

/// libFuzzer's entry point: `make fuzz` links this file with SagaKernel, SagaLab and Lessons
/// built for coverage (`-sanitize=fuzzer`). Each input is played at a fresh workbench; a
/// broken promise stops the fuzzer as a crash, which saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let broken = FuzzInput(UnsafeBufferPointer(start: data, count: size)).play() {
        fatalError("broken promise: \(broken)")
    }
    return 0
}
