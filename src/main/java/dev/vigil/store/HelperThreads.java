package dev.vigil.store;

/** The threads the baseline's staging and reading run beside their caller. */
final class HelperThreads {

    private HelperThreads() {
    }

    /** A daemon thread, started: it must not keep a finished command's JVM alive. */
    static Thread start(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for a helper thread to end, even if this thread is interrupted meanwhile (the interrupt is kept for the
     * caller): a helper left running would go on using the database after its owner has moved on.
     */
    static void joinUninterruptibly(Thread helper) {
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
