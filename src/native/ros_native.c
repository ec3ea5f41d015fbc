/*
 * ros_native: the few syscalls Node does not expose and PID 1 needs.
 * Loaded only by src/sys/native.ts. Every function throws a JS Error whose
 * message names the syscall, its argument and strerror(errno), so callers can
 * log "mount /var/lib/rancher (ext4, /dev/vda1): EBUSY"-style lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

static napi_value throw_errno(napi_env env, const char *what, const char *arg, int err) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s %s: %s", what, arg ? arg : "", strerror(err));
  napi_value code, text, error;
  const char *name = strerrorname_np(err);
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &error);
  napi_value errnum;
  napi_create_int32(env, err, &errnum);
  napi_set_named_property(env, error, "errno", errnum);
  napi_set_named_property(env, error, "code", code);
  napi_throw(env, error);
  return NULL;
}

/* Reads argument i as a newly malloc'd UTF-8 string, or NULL for null/undefined. */
static char *get_string(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t == napi_null || t == napi_undefined) return NULL;
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *buf = malloc(len + 1);
  if (!buf) return NULL;
  napi_get_value_string_utf8(env, v, buf, len + 1, &len);
  return buf;
}

static int64_t get_int(napi_env env, napi_value v, int64_t fallback) {
  int64_t out;
  if (napi_get_value_int64(env, v, &out) != napi_ok) return fallback;
  return out;
}

/* waitpid(pid, WNOHANG) -> null when nothing to reap, else {pid, code, signal}. */
static napi_value js_waitpid(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int pid = (int)get_int(env, argv[0], -1);
  if (pid <= 0) return throw_errno(env, "waitpid", "(pid must be > 0)", EINVAL);
  int status = 0;
  int r = waitpid(pid, &status, WNOHANG);
  if (r < 0) {
    char arg[32];
    snprintf(arg, sizeof arg, "%d", pid);
    return throw_errno(env, "waitpid", arg, errno);
  }
  napi_value result;
  if (r == 0) {
    napi_get_null(env, &result);
    return result;
  }
  napi_value vpid, vcode, vsig;
  napi_create_object(env, &result);
  napi_create_int32(env, r, &vpid);
  napi_create_int32(env, WIFEXITED(status) ? WEXITSTATUS(status) : -1, &vcode);
  napi_create_int32(env, WIFSIGNALED(status) ? WTERMSIG(status) : 0, &vsig);
  napi_set_named_property(env, result, "pid", vpid);
  napi_set_named_property(env, result, "code", vcode);
  napi_set_named_property(env, result, "signal", vsig);
  return result;
}

/* reboot(cmd): cmd is "restart" | "halt" | "poweroff" | "cad-off" | "cad-on". */
static napi_value js_reboot(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *cmd = get_string(env, argv[0]);
  if (!cmd) return throw_errno(env, "reboot", "(missing command)", EINVAL);
  int how;
  if (!strcmp(cmd, "restart")) how = RB_AUTOBOOT;
  else if (!strcmp(cmd, "halt")) how = RB_HALT_SYSTEM;
  else if (!strcmp(cmd, "poweroff")) how = RB_POWER_OFF;
  else if (!strcmp(cmd, "cad-off")) how = RB_DISABLE_CAD;
  else if (!strcmp(cmd, "cad-on")) how = RB_ENABLE_CAD;
  else {
    napi_value r = throw_errno(env, "reboot", cmd, EINVAL);
    free(cmd);
    return r;
  }
  if (reboot(how) < 0) {
    napi_value r = throw_errno(env, "reboot", cmd, errno);
    free(cmd);
    return r;
  }
  free(cmd);
  return NULL;
}

/* mount(source, target, fstype, flags, data) */
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *source = get_string(env, argv[0]);
  char *target = get_string(env, argv[1]);
  char *fstype = argc > 2 ? get_string(env, argv[2]) : NULL;
  unsigned long flags = argc > 3 ? (unsigned long)get_int(env, argv[3], 0) : 0;
  char *data = argc > 4 ? get_string(env, argv[4]) : NULL;
  napi_value r = NULL;
  if (!target) r = throw_errno(env, "mount", "(missing target)", EINVAL);
  else if (mount(source, target, fstype, flags, data) < 0) {
    char arg[1024];
    snprintf(arg, sizeof arg, "%s (%s, %s)", target, fstype ? fstype : "-", source ? source : "-");
    r = throw_errno(env, "mount", arg, errno);
  }
  free(source); free(target); free(fstype); free(data);
  return r;
}

/* umount2(target, flags) */
static napi_value js_umount2(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *target = get_string(env, argv[0]);
  int flags = argc > 1 ? (int)get_int(env, argv[1], 0) : 0;
  napi_value r = NULL;
  if (!target) r = throw_errno(env, "umount", "(missing target)", EINVAL);
  else if (umount2(target, flags) < 0) r = throw_errno(env, "umount", target, errno);
  free(target);
  return r;
}

static napi_value js_sethostname(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *name = get_string(env, argv[0]);
  napi_value r = NULL;
  if (!name) r = throw_errno(env, "sethostname", "(missing name)", EINVAL);
  else if (sethostname(name, strlen(name)) < 0) r = throw_errno(env, "sethostname", name, errno);
  free(name);
  return r;
}

static napi_value js_sync(napi_env env, napi_callback_info info) {
  (void)env; (void)info;
  sync();
  return NULL;
}

/* finit_module(path, params): loads a kernel module from a file; EEXIST is success. */
static napi_value js_finit_module(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = get_string(env, argv[0]);
  char *params = argc > 1 ? get_string(env, argv[1]) : NULL;
  napi_value r = NULL;
  if (!path) {
    r = throw_errno(env, "finit_module", "(missing path)", EINVAL);
  } else {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) r = throw_errno(env, "open", path, errno);
    else {
      if (syscall(SYS_finit_module, fd, params ? params : "", 0) < 0 && errno != EEXIST)
        r = throw_errno(env, "finit_module", path, errno);
      close(fd);
    }
  }
  free(path); free(params);
  return r;
}

/*
 * checkpoint(path): FIFREEZE then FITHAW on the file system holding path.
 * Freezing writes the ext4 journal back to its home blocks; GRUB reads only
 * those (it never replays the journal), so a slot written just before is
 * visible to the boot loader. The thaw is always attempted once frozen.
 */
static napi_value js_checkpoint(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = get_string(env, argv[0]);
  napi_value r = NULL;
  if (!path) {
    r = throw_errno(env, "checkpoint", "(missing path)", EINVAL);
  } else {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) r = throw_errno(env, "open", path, errno);
    else {
      if (ioctl(fd, FIFREEZE, 0) < 0) r = throw_errno(env, "ioctl FIFREEZE", path, errno);
      else if (ioctl(fd, FITHAW, 0) < 0) r = throw_errno(env, "ioctl FITHAW", path, errno);
      close(fd);
    }
  }
  free(path);
  return r;
}

/*
 * loopChangeFd(device, file): LOOP_CHANGE_FD, the one way to give a loop
 * device that is in use another backing file. The kernel allows it only for
 * a read-only loop and a file of the same size; the loop holds its own
 * reference, so both descriptors are closed here.
 */
static napi_value js_loop_change_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *device = get_string(env, argv[0]);
  char *file = argc > 1 ? get_string(env, argv[1]) : NULL;
  napi_value r = NULL;
  if (!device || !file) {
    r = throw_errno(env, "loopChangeFd", "(missing device or file)", EINVAL);
  } else {
    int dev = open(device, O_RDONLY | O_CLOEXEC);
    if (dev < 0) r = throw_errno(env, "open", device, errno);
    else {
      int fd = open(file, O_RDONLY | O_CLOEXEC);
      if (fd < 0) r = throw_errno(env, "open", file, errno);
      else {
        if (ioctl(dev, LOOP_CHANGE_FD, fd) < 0) r = throw_errno(env, "ioctl LOOP_CHANGE_FD", device, errno);
        close(fd);
      }
      close(dev);
    }
  }
  free(device); free(file);
  return r;
}

/*
 * execv(path, argv): this process becomes another program, keeping its PID,
 * its children and fds 0-2 (docs/architecture.md, "The console"). What
 * Node changed and exec would keep is put back first: ignored signals
 * (SIGPIPE), the signal mask, close-on-exec and O_NONBLOCK on the standard
 * descriptors (whose open file descriptions other processes share). Returns
 * only on failure.
 */
static napi_value js_execv(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = get_string(env, argv[0]);
  uint32_t n = 0;
  if (!path || argc < 2 || napi_get_array_length(env, argv[1], &n) != napi_ok || n == 0) {
    free(path);
    return throw_errno(env, "execv", "(needs a path and a non-empty argv)", EINVAL);
  }
  char **args = calloc(n + 1, sizeof *args);
  for (uint32_t i = 0; args && i < n; i++) {
    napi_value v;
    if (napi_get_element(env, argv[1], i, &v) == napi_ok) args[i] = get_string(env, v);
  }
  /* Saved, so a failed exec leaves Node as it was. */
  static struct sigaction saved[NSIG];
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &dfl, &saved[sig]);
  sigset_t none, mask;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, &mask);
  int flags[3], fdflags[3];
  for (int fd = 0; fd <= 2; fd++) {
    flags[fd] = fcntl(fd, F_GETFL);
    if (flags[fd] >= 0 && (flags[fd] & O_NONBLOCK)) fcntl(fd, F_SETFL, flags[fd] & ~O_NONBLOCK);
    fdflags[fd] = fcntl(fd, F_GETFD);
    if (fdflags[fd] > 0) fcntl(fd, F_SETFD, 0);
  }
  if (args) execv(path, args);
  int err = args ? errno : ENOMEM;
  for (int fd = 0; fd <= 2; fd++) {
    if (flags[fd] >= 0) fcntl(fd, F_SETFL, flags[fd]);
    if (fdflags[fd] > 0) fcntl(fd, F_SETFD, fdflags[fd]);
  }
  sigprocmask(SIG_SETMASK, &mask, NULL);
  for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &saved[sig], NULL);
  for (uint32_t i = 0; args && i < n; i++) free(args[i]);
  free(args);
  napi_value r = throw_errno(env, "execv", path, err);
  free(path);
  return r;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"waitpid", NULL, js_waitpid, NULL, NULL, NULL, napi_enumerable, NULL},
    {"reboot", NULL, js_reboot, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mount", NULL, js_mount, NULL, NULL, NULL, napi_enumerable, NULL},
    {"umount2", NULL, js_umount2, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sethostname", NULL, js_sethostname, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sync", NULL, js_sync, NULL, NULL, NULL, napi_enumerable, NULL},
    {"finitModule", NULL, js_finit_module, NULL, NULL, NULL, napi_enumerable, NULL},
    {"checkpoint", NULL, js_checkpoint, NULL, NULL, NULL, napi_enumerable, NULL},
    {"loopChangeFd", NULL, js_loop_change_fd, NULL, NULL, NULL, napi_enumerable, NULL},
    {"execv", NULL, js_execv, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
