/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.tlb.TlbStatisticsTable;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.loader.ImageFormatException;

/**
 * Runs one guest to its end for {@code run} and {@code demo}: builds the machine with the
 * architecture's factory, streams the console, optionally serves gdb, then reports statistics,
 * writes the trace and returns the guest's exit status.
 */
final class GuestRunner {
    /** How a guest is run besides its {@link VmConfig}. */
    record Settings(GdbEndpoint gdb, boolean waitForGdb, boolean stats, Path trace, boolean forwardInput) {
        static Settings batch(boolean stats) {
            return new Settings(null, false, stats, null, false);
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Function<Architecture, MachineFactory> factories;

    GuestRunner(PrintStream out, PrintStream err, InputStream in) {
        this(out, err, in, Machines::factory);
    }

    /** With other machine factories (tests run scripted machines through the same path). */
    GuestRunner(PrintStream out, PrintStream err, InputStream in, Function<Architecture, MachineFactory> factories) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.factories = factories;
    }

    /** Creates the machine; the messages of the factory's exceptions become one-line errors. */
    VirtualMachine create(String command, VmConfig config) throws CliException {
        try {
            return factories.apply(config.architecture()).create(config);
        } catch (UnsupportedOperationException e) {
            throw CliException.unavailable(oneLine(e.getMessage(), "not yet available in this build"));
        } catch (ImageFormatException e) {
            throw (CliException) CliException.input(oneLine(e.getMessage(), "cannot load " + config.kernel())).initCause(e);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(command, oneLine(e.getMessage(), "invalid machine configuration"));
        }
    }

    /** Runs the guest until it ends; returns its exit status (or throws for an error stop). */
    int run(String command, VmConfig config, Settings settings) throws CliException {
        VirtualMachine vm = create(command, config);
        ConsoleSink console = new ConsoleSink(out);
        vm.console().addOutputListener(console);
        Thread shutdownFlush = new Thread(console::flush, "hvdbg-console-final-flush");
        Runtime.getRuntime().addShutdownHook(shutdownFlush);
        GdbServer server = null;
        try {
            if (settings.forwardInput() && in != null) {
                forwardInput(vm);
            }
            if (settings.gdb() != null) {
                server = startGdb(vm, settings);
            } else {
                // Batch run: a guest that can never wake up again is an error, not a hang.
                vm.setStopWhenIdleForever(true);
            }
            vm.start();
            StopEvent end = awaitEnd(vm, settings, server != null);
            console.close();
            if (settings.stats()) {
                if (!console.atLineStart()) {
                    out.println();
                }
                out.print(vm.statistics().format(-1));
                // TLB flush requests and flushes by cause, for cores whose TLB model counts them.
                String tlb = TlbStatisticsTable.format(vm);
                if (!tlb.isBlank()) {
                    out.println();
                    out.print(tlb);
                }
            }
            if (settings.trace() != null) {
                writeTrace(vm, config, settings.trace());
            }
            out.flush();
            if (end.reason() == StopReason.ERROR) {
                throw CliException.failure("the VM stopped with an error: " + oneLine(end.message(), "unknown error"));
            }
            if (end.reason() == StopReason.SHUTDOWN && end.guestFault()) {
                // Status 0 as under QEMU -no-reboot, but say why the guest ended.
                err.println("hvdbg: guest shutdown: " + end.message());
            }
            return end.exitStatus();
        } finally {
            console.close();
            if (server != null) {
                server.close();
            }
            vm.terminate();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownFlush);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    private GdbServer startGdb(VirtualMachine vm, Settings settings) throws CliException {
        try {
            return GdbServerLaunchers.installed().start(vm, settings.gdb(), settings.waitForGdb(), err);
        } catch (UnsupportedOperationException e) {
            throw CliException.unavailable(oneLine(e.getMessage(), "the GDB remote stub is not available"));
        } catch (IOException e) {
            throw CliException.failure("cannot serve gdb on " + settings.gdb() + ": " + oneLine(e.getMessage(), e.toString()));
        }
    }

    /**
     * Resumes the VM (unless a debugger is to start it) and waits for its end: without a
     * debugger the first SHUTDOWN or ERROR stop; with one, termination (the debugger owns
     * every other stop, and an error stop is only reported).
     */
    private StopEvent awaitEnd(VirtualMachine vm, Settings settings, boolean debugged) throws CliException {
        long seen = vm.stopCount();
        if (!settings.waitForGdb()) {
            vm.resume();
        }
        try {
            while (true) {
                StopEvent stop = vm.awaitStop(seen, 1000);
                if (stop == null) {
                    continue;
                }
                seen = vm.stopCount();
                boolean terminated = vm.runState() == VirtualMachine.RunState.TERMINATED;
                if (stop.reason() == StopReason.SHUTDOWN || (!debugged && stop.reason() == StopReason.ERROR)) {
                    return stop;
                }
                if (debugged) {
                    if (stop.reason() == StopReason.ERROR) {
                        err.println("hvdbg: the VM stopped with an error: " + oneLine(stop.message(), "unknown error"));
                    }
                    if (terminated) {
                        return stop;
                    }
                } else if (terminated) {
                    return stop;
                } else {
                    vm.resume(); // nothing but a debugger stops a batch run on purpose
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while the guest ran");
        }
    }

    private void forwardInput(VirtualMachine vm) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    vm.console().offerInput(java.util.Arrays.copyOf(buf, n));
                    vm.kick();
                }
            } catch (IOException e) {
                // stdin closed: the guest simply gets no more input
            }
        }, "hvdbg-console-input");
        t.setDaemon(true);
        t.start();
    }

    private void writeTrace(VirtualMachine vm, VmConfig config, Path file) throws CliException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("arch", config.architecture().cliName());
        meta.put("vendor", config.vendor());
        meta.put("smp", Integer.toString(config.smp()));
        meta.put("memory-mib", Integer.toString(config.memoryMiB()));
        if (config.kernel() != null) {
            meta.put("kernel", config.kernel().toString());
        }
        meta.put("producer", "hvdbg " + Main.VERSION);
        ExitTrace trace = vm.trace();
        try {
            TraceFile.write(trace, meta, file);
        } catch (IOException e) {
            throw CliException.failure("cannot write trace file " + file + ": " + oneLine(e.getMessage(), e.toString()));
        }
        if (trace.firstSeq() > 0) {
            err.printf("hvdbg: %s holds the last %d of %d exits (the trace ring holds %d MiB)%n", file, trace.size(),
                    trace.nextSeq(), trace.capacityBytes() >> 20);
        }
    }

    /** The first line of a message, or the fallback when there is none. */
    static String oneLine(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
