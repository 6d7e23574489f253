export { assertEmbeddingModelUsable, indexAnnotations, nearestAnnotation, unindexAnnotations, type AnnotationEmbeddingModel } from "./annotation-index";
export { annotationReplyMetadata, findAnnotationReply, type AnnotationHit } from "./annotation-reply";
export { annotationReplyActions, annotationReplyFeature, AnnotationService, serializeAnnotation, type AnnotationReplyAction, type Background } from "./annotation-service";
export { annotationBody, annotationListQuery, annotationListSchema, annotationSchema, jobSchema, jobStatusSchema, replyActionBody } from "./annotation-schemas";
