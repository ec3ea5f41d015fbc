// Filled in by the esbuild `define` in scripts/build-sea.mjs; the fallbacks serve tests run from source.
declare const ROS_VERSION: string | undefined;
declare const ROS_COMMIT: string | undefined;

export const version: string = typeof ROS_VERSION === 'string' ? ROS_VERSION : '0.0.0-dev';
export const commit: string = typeof ROS_COMMIT === 'string' ? ROS_COMMIT : 'dev';
