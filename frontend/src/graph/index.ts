// The pure IR <-> graph layer the designer (and the run view) build on.
export * from "./types";
export * from "./expressions";
export * from "./dependencies";
export * from "./geometry";
export * from "./convert";
export * from "./ids";
export { edgeRoutes, graphArriving, immediateLayout, layoutGraph, type ImmediateLayout, type LayoutOptions } from "./layout";
export * from "./tween";
export * from "./routes";
export * from "./orthogonal";
export * from "./viewport";
export * from "./wrap";
export * from "./shortcuts";
