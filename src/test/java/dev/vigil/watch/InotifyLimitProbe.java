package dev.vigil.watch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child-process side of {@link InotifyLimitTest}: run inside a user namespace whose inotify watch limit is
 * tiny, it starts a forced-inotify watch and prints what the caller would see, one fact per line.
 */
public final class InotifyLimitProbe {

    private InotifyLimitProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path area = Path.of(args[0]);
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(area).withMode(WatchOptions.Mode.INOTIFY))) {
            watcher.start();
            System.out.println("notice=" + watcher.notice());
            for (Path p : watcher.uncovered()) {
                System.out.println("uncovered=" + p);
            }
            Path file = Files.writeString(area.resolve("still-watched"), "x");
            FileEvent e;
            while ((e = watcher.events().poll(10, TimeUnit.SECONDS)) != null) {
                if (file.equals(e.path())) {
                    System.out.println("event=" + file);
                    break;
                }
            }
        }
    }
}
