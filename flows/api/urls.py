"""Routes of the flows and tools API (included under /api/v1/)."""

from django.urls import path

from flows.api import views

urlpatterns = [
    path("tools/", views.ToolListApi.as_view(), name="tool-list"),
    path("tools/<str:tool_id>/", views.ToolDetailApi.as_view(), name="tool-detail"),
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path("groups/", views.GroupListApi.as_view(), name="group-list"),
    path("joins/", views.JoinListCreateApi.as_view(), name="join-list"),
    path("joins/<int:join_id>/", views.JoinDetailApi.as_view(), name="join-detail"),
    path("credentials/", views.CredentialListCreateApi.as_view(), name="credential-list"),
    path(
        "credentials/<int:credential_id>/",
        views.CredentialDetailApi.as_view(),
        name="credential-detail",
    ),
    path("flows/", views.FlowListCreateApi.as_view(), name="flow-list"),
    path("flows/<int:flow_id>/", views.FlowDetailApi.as_view(), name="flow-detail"),
    path(
        "flows/<int:flow_id>/versions/",
        views.FlowVersionListCreateApi.as_view(),
        name="flow-version-list",
    ),
    path(
        "flows/<int:flow_id>/versions/<int:number>/",
        views.FlowVersionDetailApi.as_view(),
        name="flow-version-detail",
    ),
    path(
        "flows/<int:flow_id>/versions/<int:number>/diff/",
        views.FlowVersionDiffApi.as_view(),
        name="flow-version-diff",
    ),
    path("auth/token/", views.AuthTokenApi.as_view(), name="auth-token"),
    path("validate/", views.ValidateApi.as_view(), name="validate"),
    path("ir/schema/", views.IrSchemaApi.as_view(), name="ir-schema"),
    path("refine/", views.RefineApi.as_view(), name="refine"),
    path("plan/", views.PlanListCreateApi.as_view(), name="plan-list"),
    path("plan/<uuid:plan_id>/", views.PlanDetailApi.as_view(), name="plan-detail"),
]
