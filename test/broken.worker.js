// A worker module that fails while loading, as a bad deployment would: for the worker pool's tests.
throw new Error('this worker cannot start');
