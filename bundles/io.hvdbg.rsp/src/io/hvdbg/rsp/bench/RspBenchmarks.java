/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.client.HvdbgExtensions;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.StopReply;
import io.hvdbg.rsp.server.GdbServer;

/**
 * The stub's throughput figures for {@code hvdbg bench}: single-step round trips per second
 * through the raw client and through real gdb, the same against QEMU's gdbstub side by side,
 * and exit records per second over {@code qHvdbg.exits}. Everything runs over loopback.
 *
 * <p>The methods measure and return; they assert nothing (goals belong in the report). The
 * caller supplies the machines, so this class needs no architecture bundle; the command line
 * wraps {@link #run} in a benchmark of its framework.
 */
public final class RspBenchmarks {
    /** Receives one figure (the command line passes its BenchmarkContext::report). */
    @FunctionalInterface
    public interface Reporter {
        void report(String metric, double value, String unit);
    }

    /** Makes a fresh paused machine with its guest loaded (one per measurement). */
    @FunctionalInterface
    public interface MachineSupplier {
        VirtualMachine create() throws Exception;
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private RspBenchmarks() {
    }

    /**
     * Runs every measurement for one architecture.
     *
     * @param machine  makes the machine to debug (its guest must run at least {@code steps} instructions)
     * @param gdb      the gdb binary for this architecture ("gdb", "gdb-multiarch"), or null to skip
     * @param gdbSetup gdb commands before {@code target remote} (e.g. "set architecture riscv:rv64")
     * @param qemu     QEMU's command line for the same guest without -gdb/-S, or null to skip
     * @param quick    a short run (smoke tests)
     */
    public static void run(MachineSupplier machine, String gdb, List<String> gdbSetup, List<String> qemu,
            boolean quick, Reporter out) throws Exception {
        int steps = quick ? 200 : 20_000;
        double hv = stubStepRate(machine.create(), steps);
        out.report("stepi round trips, hvdbg stub, raw client", hv, "steps/s");
        double q = Double.NaN;
        if (qemu != null) {
            q = qemuStepRate(qemu, steps);
            out.report("stepi round trips, QEMU gdbstub, raw client", q, "steps/s");
            out.report("hvdbg / QEMU stepi rate (goal >= 1.5)", hv / q, "x");
        }
        if (gdb != null) {
            int gdbSteps = quick ? 100 : 5_000;
            VirtualMachine vm = machine.create();
            vm.start();
            try (GdbServer server = GdbStub.start(vm, "0", null)) {
                double g = gdbStepRate(gdb, gdbSetup, new InetSocketAddress("127.0.0.1", server.port()), gdbSteps);
                out.report("stepi round trips, hvdbg stub, via " + gdb, g, "steps/s");
            } finally {
                vm.terminate();
            }
            if (qemu != null) {
                try (QemuProcess p = QemuProcess.start(qemu)) {
                    out.report("stepi round trips, QEMU gdbstub, via " + gdb,
                            gdbStepRate(gdb, gdbSetup, p.address(), gdbSteps), "steps/s");
                }
            }
        }
        long records = quick ? 50_000 : 1_000_000;
        double[] fetch = exitFetchRate(machine.create(), records);
        out.report("exit records fetched over qHvdbg.exits", fetch[0], "records/s");
        out.report("time to fetch " + records + " exit records", fetch[1] * 1000, "ms");
        out.report("exit records on the wire", fetch[2], "bytes/record");
    }

    /** Single steps of vCPU 0 through hvdbg's stub with the raw client; returns steps per second. */
    public static double stubStepRate(VirtualMachine vm, int steps) throws IOException {
        vm.start();
        try (GdbServer server = GdbStub.start(vm, "0", null)) {
            return clientStepRate(new InetSocketAddress("127.0.0.1", server.port()), steps);
        } finally {
            vm.terminate();
        }
    }

    /** Single steps of thread 1 through any stub with the raw client (no-ack mode when offered); steps per second. */
    public static double clientStepRate(InetSocketAddress stub, int steps) throws IOException {
        try (RspClient c = RspClient.connect(stub, RspClient.Options.defaults())) {
            int warmup = Math.min(steps / 10, 1000);
            for (int i = 0; i < warmup; i++) {
                step(c);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(c);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return steps / seconds;
        }
    }

    private static void step(RspClient c) throws IOException {
        StopReply s = c.step(1);
        if (s == null || s.kind() != StopReply.Kind.SIGNAL) {
            throw new IOException("the guest stopped stepping: " + s);
        }
    }

    /**
     * Single steps through real gdb in batch mode ({@code stepi N}), as a user sees them: gdb
     * reads registers and memory after every step. The process start-up and connection cost is
     * measured with a one-step run and subtracted. Returns steps per second.
     */
    public static double gdbStepRate(String gdb, List<String> setup, InetSocketAddress stub, int steps)
            throws IOException, InterruptedException {
        double one = gdbRun(gdb, setup, stub, 1);
        double many = gdbRun(gdb, setup, stub, steps + 1);
        return steps / Math.max(1e-9, many - one);
    }

    private static double gdbRun(String gdb, List<String> setup, InetSocketAddress stub, int steps)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(gdb, "-batch", "-nx", "-ex", "set pagination off"));
        for (String s : setup) {
            argv.add("-ex");
            argv.add(s);
        }
        argv.addAll(List.of("-ex", "target remote " + stub.getHostString() + ":" + stub.getPort(), "-ex",
                "stepi " + steps, "-ex", "disconnect"));
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException(gdb + " is not installed (Debian: apt-get install " + gdb + ")", e);
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(gdb + " did not finish " + steps + " steps within 600 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(gdb + " failed (exit status " + p.exitValue() + ")");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** QEMU started with its gdbstub on a free loopback port and the guest held at reset (-S). */
    private static final class QemuProcess implements AutoCloseable {
        private final Process process;
        private final InetSocketAddress address;

        private QemuProcess(Process process, InetSocketAddress address) {
            this.process = process;
            this.address = address;
        }

        static QemuProcess start(List<String> command) throws IOException, InterruptedException {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> argv = new ArrayList<>(command);
            argv.addAll(List.of("-S", "-gdb", "tcp:127.0.0.1:" + port));
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new IOException(command.get(0) + " is not installed; the side-by-side figure needs it (Debian: "
                        + (command.get(0).contains("x86") ? "qemu-system-x86" : "qemu-system-misc") + ")", e);
            }
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(a, 200);
                    break; // QEMU's stub takes the next client after this probe closes
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IOException("QEMU did not open its gdbstub (" + String.join(" ", command) + ")");
                    }
                    Thread.sleep(20);
                }
            }
            Thread.sleep(100);
            return new QemuProcess(p, a);
        }

        InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Single steps through QEMU's gdbstub with the raw client, for the side-by-side figure. */
    public static double qemuStepRate(List<String> qemu, int steps) throws IOException, InterruptedException {
        try (QemuProcess p = QemuProcess.start(qemu)) {
            return clientStepRate(p.address(), steps);
        }
    }

    /**
     * Fills the machine's exit trace with {@code records} exits shaped like a guest's (a few hot
     * sites, mixed reasons, growing time) and fetches them all over {@code qHvdbg.exits}.
     * Returns {records per second, seconds, wire bytes per record}.
     */
    public static double[] exitFetchRate(VirtualMachine vm, long records) throws IOException {
        ExitTrace trace = vm.trace();
        List<ExitReason> reasons = ExitReasons.all();
        int[] ids = new int[Math.min(8, reasons.size())];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = reasons.get(i * reasons.size() / ids.length).id();
        }
        long time = 0;
        long first = trace.nextSeq();
        // Filled before the VM thread starts, so the trace has one writer as it requires.
        for (long i = 0; i < records; i++) {
            time += 50 + (i * 7919) % 400;
            int k = (int) (i % ids.length);
            long pc = 0x80200000L + 4L * ((i * 31) % 24);
            trace.record((int) (i & 1), ids[k], time, 200 + (i % 97), pc, (i % 5) << 16, i % 3 == 0 ? pc + 4 : 0,
                    i % 11);
        }
        if (trace.firstSeq() > first) {
            throw new IOException("the trace ring holds only " + trace.size() + " of " + records
                    + " records; give the VM a larger trace");
        }
        vm.start();
        try (GdbServer server = GdbStub.start(vm, "0", null);
                RspClient c = RspClient.connect(new InetSocketAddress("127.0.0.1", server.port()),
                        RspClient.Options.defaults())) {
            HvdbgExtensions x = c.hvdbg();
            long[] count = new long[1];
            // One untimed pass warms up both ends (JIT), as a long-running IDE session is.
            x.fetchExits(first, records, (seq, v, r, t, d, pc, q, i2, ctx) -> true);
            long t0 = System.nanoTime();
            long next = x.fetchExits(first, records, (seq, v, r, t, d, pc, q, i2, ctx) -> {
                count[0]++;
                return true;
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (count[0] != records || next != first + records) {
                throw new IOException("fetched " + count[0] + " of " + records + " exit records");
            }
            return new double[] {records / seconds, seconds, (double) trace.bytesUsed() / records};
        } finally {
            vm.terminate();
        }
    }
}
