# Builds the native addon build/Release/faultscale.node from native/*.c (faultscale.c registers the exports).
# Run through scripts/build-addon.mjs (the package's install script), which never
# fails the install: if this build fails, the addon is reported unavailable and
# the native tests and the kernel target are skipped.
{
  'targets': [
    {
      'target_name': 'faultscale',
      'sources': [ 'native/faultscale.c', 'native/util.c', 'native/files.c', 'native/loop.c', 'native/procs.c' ],
      'defines': [ 'NAPI_VERSION=8' ],
      'cflags': [ '-Wall', '-Wextra' ],
      'cflags_c': [ '-std=gnu11' ],
      'configurations': {
        # Node's common.gypi gives Release builds -O3; this addon is built -O2.
        'Release': {
          'cflags!': [ '-O3' ],
          'cflags': [ '-O2' ],
        },
      },
    },
  ],
}
