/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** Builds minimal guest images around fuzzer bytes and hands them to the loaders as files. */
final class GuestImages {
    private GuestImages() {
    }

    /**
     * An ELF64 executable with one loadable segment holding {@code code} at {@code base} (virtual
     * = physical), entry at its first byte: what both machines boot directly.
     */
    static byte[] elf64(int machine, long base, byte[] code) {
        int ehsize = 64, phsize = 56, offset = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(offset + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1).putLong(base).putLong(ehsize).putLong(0);
        b.putInt(0).putShort((short) ehsize).putShort((short) phsize).putShort((short) 1)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        // PT_LOAD, RWX
        b.putInt(1).putInt(7).putLong(offset).putLong(base).putLong(base).putLong(code.length)
                .putLong(Math.max(code.length, 0x1000)).putLong(0x1000);
        b.position(offset);
        b.put(code);
        return b.array();
    }

    /**
     * Writes {@code data} to {@code <java.io.tmpdir>/hvdbg-fuzz/<name>} (the loaders take paths,
     * as QEMU's -kernel) and holds that path until the returned file is closed, which deletes it.
     * The path is fixed on purpose: it reaches the guest (the x86 multiboot command line at
     * 0x9400 starts with the kernel's path, as QEMU's does), so a random temp-file name would make
     * a guest that reads its command line behave differently from run to run. Other threads and
     * other fuzz processes using the same name wait for the file (a JVM lock and a file lock).
     */
    static ImageFile file(String name, byte[] data) {
        ReentrantLock inJvm = LOCKS.computeIfAbsent(name, n -> new ReentrantLock());
        inJvm.lock();
        FileChannel lockFile = null;
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "hvdbg-fuzz"));
            lockFile = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock held = lockFile.lock();
            Path p = dir.resolve(name);
            Files.write(p, data);
            return new ImageFile(p, lockFile, held, inJvm);
        } catch (IOException e) {
            closeQuietly(lockFile);
            inJvm.unlock();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(lockFile);
            inJvm.unlock();
            throw e;
        }
    }

    private static final Map<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close(); // releases its lock too
            } catch (IOException ignored) {
                // nothing held any more
            }
        }
    }

    /** A guest image at its fixed path, this process's until {@link #close()} deletes it. */
    static final class ImageFile implements AutoCloseable {
        private final Path path;
        private final FileChannel lockFile;
        private final FileLock held;
        private final ReentrantLock inJvm;

        private ImageFile(Path path, FileChannel lockFile, FileLock held, ReentrantLock inJvm) {
            this.path = path;
            this.lockFile = lockFile;
            this.held = held;
            this.inJvm = inJvm;
        }

        Path path() {
            return path;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // overwritten by the next image of this name anyway
            } finally {
                try {
                    held.release();
                } catch (IOException ignored) {
                    // closing the channel releases it as well
                }
                closeQuietly(lockFile);
                inJvm.unlock();
            }
        }
    }
}
